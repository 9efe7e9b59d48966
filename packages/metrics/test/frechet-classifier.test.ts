import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { dataAssetPath, loadIdxPair } from '@whittle/data';
import { selectBackend } from '@whittle/engine';
import { withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrechetFeatureExtractor } from '../src/index.js';

let extractor: FrechetFeatureExtractor;
let images: tf.Tensor4D;

/** The 400 t10k images of @whittle/data's embedded Fashion-MNIST sample, in [0, 1], padded to the classifier's 32×32 (as it was trained). */
async function sampleImages(): Promise<tf.Tensor4D> {
  const dir = dataAssetPath('fashion-mnist-sample');
  const test = await loadIdxPair(join(dir, 't10k-images-idx3-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
  const n = test.images.length / (28 * 28);
  return tf.tidy(() => tf.tensor4d(Float32Array.from(test.images, (v) => v / 255), [n, 28, 28, 1]).pad([[0, 0], [2, 2], [2, 2], [0, 0]]) as tf.Tensor4D);
}

beforeAll(async () => {
  await selectBackend('wasm');
  extractor = await FrechetFeatureExtractor.load();
  images = await sampleImages();
});

afterAll(() => {
  extractor.dispose();
  images.dispose();
});

describe('Fréchet distance on the committed Fashion-MNIST classifier\'s features', () => {
  it('takes 64 features per image from the classifier\'s pooled layer', () => {
    expect(images.shape).toEqual([400, 32, 32, 1]);
    expect(extractor.dims).toBe(64);
  });

  it('of a set with itself is ~0, and grows with added noise, leaking nothing', async () => {
    await withoutLeaks(() => {
      const self = extractor.distance(images, images);
      const noisy = [0.05, 0.15, 0.4].map((sigma) => {
        const x = tf.tidy(() => images.add(tf.randomNormal(images.shape, 0, sigma, 'float32', 7)).clipByValue(0, 1) as tf.Tensor4D);
        const d = extractor.distance(images, x);
        x.dispose();
        return d;
      });
      expect(self).toBeLessThan(1e-3);
      expect(noisy[0]).toBeGreaterThan(self + 1e-3);
      expect(noisy[0]).toBeLessThan(noisy[1]!);
      expect(noisy[1]).toBeLessThan(noisy[2]!);
      // Two disjoint halves of real images are far closer to each other than real images to heavy noise.
      const [a, b] = [images.slice(0, 200), images.slice(200, 200)];
      expect(extractor.distance(a, b)).toBeLessThan(noisy[2]!);
      tf.dispose([a, b]);
    });
  });

  it('resizes other sides and averages colour channels to the classifier\'s 32×32×1', async () => {
    await withoutLeaks(() => {
      const rgb = tf.tidy(() => tf.image.resizeBilinear(images.slice(0, 50), [16, 16]).tile([1, 1, 1, 3]) as tf.Tensor4D);
      const gray = tf.tidy(() => tf.image.resizeBilinear(images.slice(0, 50), [16, 16]) as tf.Tensor4D);
      expect(extractor.distance(rgb, gray)).toBeLessThan(1e-3);
      tf.dispose([rgb, gray]);
    });
  });
});
