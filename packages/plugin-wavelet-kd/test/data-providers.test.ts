import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRng } from '@whittle/kernel';
import { errorOf, FASHION_MNIST_REQUIREMENT, requireSystemPath, TempDir } from '@whittle/testing';
import sharp from 'sharp';
import { selectBackend } from '@whittle/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_MNIST_DIR, fashionMnistEdgesProvider, pairedFolderProvider, sobelEdges } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('sobelEdges', () => {
  it('finds no edges in a flat image and a binary edge on both sides of a vertical step', () => {
    expect(Math.max(...sobelEdges(new Float32Array(64).fill(0.5), 8, 8, 0.2))).toBe(0);
    const step = Float32Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 0 : 1));
    const edges = sobelEdges(step, 8, 8, 0.2);
    const row = Array.from(edges.subarray(3 * 8, 4 * 8));
    expect(row).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
  });
});

const hasFashionMnist = requireSystemPath(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'), FASHION_MNIST_REQUIREMENT);

describe('fashion-mnist-edges', () => {
  it.runIf(hasFashionMnist)('pairs binary Sobel edges with the 32×32-padded images, within the limits', async () => {
    const before = tf.memory().numTensors;
    const splits = await fashionMnistEdgesProvider.load({ classes: [7] }, { trainLimit: 40, testLimit: 6, validationSplit: 0.25 }, { baseDir: '.', rng: SeededRng.from(1) });
    expect(splits.task).toBe('image-to-image');
    expect(splits.train.x.shape).toEqual([30, 32, 32, 1]);
    expect(splits.validation.y.shape).toEqual([10, 32, 32, 1]);
    expect(splits.test?.x.shape).toEqual([6, 32, 32, 1]);
    const edges = Array.from(splits.train.x.dataSync());
    expect(edges.every((v) => v === 0 || v === 1)).toBe(true);
    expect(edges.some((v) => v === 1)).toBe(true);
    const targets = splits.train.y.dataSync();
    expect(Math.max(...targets)).toBeLessThanOrEqual(1);
    expect(targets[0]).toBe(0); // the 2-pixel padding is black
    splits.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the missing files of a wrong folder before loading', async () => {
    const issues = fashionMnistEdgesProvider.checkOptions!({ dir: '/nonexistent-fmnist' }, { baseDir: '.' });
    expect(issues[0]?.path).toBe('/dir');
    expect(issues[0]?.message).toMatch(/nonexistent-fmnist lacks train-images-idx3-ubyte.gz/);
    expect((await errorOf(() => fashionMnistEdgesProvider.load({ dir: '/nonexistent-fmnist' }, {}, { baseDir: '.', rng: SeededRng.from(1) }))).code).toBe('DATA_FILE_MISSING');
  });
});

describe('paired-folder', () => {
  const temp = new TempDir('wkd-pairs-');
  afterAll(() => temp.cleanup());

  async function writePng(path: string, value: number, channels: 1 | 3): Promise<void> {
    await sharp(Buffer.alloc(8 * 8 * channels, value), { raw: { width: 8, height: 8, channels } }).png().toFile(path);
  }

  it('pairs A/ and B/ by file name and resizes both', async () => {
    const root = temp.path('pairs');
    mkdirSync(join(root, 'A'), { recursive: true });
    mkdirSync(join(root, 'B'), { recursive: true });
    for (let i = 0; i < 5; i++) {
      await writePng(join(root, 'A', `${i}.png`), 10 * i, 1);
      await writePng(join(root, 'B', `${i}.png`), 10 * i + 100, 3);
    }
    const splits = await pairedFolderProvider.load({ root, size: [4, 4], inputChannels: 1, targetChannels: 3, testSplit: 0.4 }, { validationSplit: 0 }, { baseDir: '.', rng: SeededRng.from(2) });
    expect(splits.train.x.shape).toEqual([3, 4, 4, 1]);
    expect(splits.train.y.shape).toEqual([3, 4, 4, 3]);
    expect(splits.test?.x.shape).toEqual([2, 4, 4, 1]);
    // Each target is its input + 100/255: the pairs stayed together through the shuffle.
    const [x, y] = [splits.train.x.dataSync(), splits.train.y.dataSync()];
    for (let i = 0; i < 3; i++) expect(y[i * 48]! - x[i * 16]!).toBeCloseTo(100 / 255, 5);
    splits.dispose();
  });

  it('refuses unpaired names and missing folders, naming them', async () => {
    const root = temp.path('broken');
    mkdirSync(join(root, 'A'), { recursive: true });
    mkdirSync(join(root, 'B'), { recursive: true });
    await writePng(join(root, 'A', 'only-a.png'), 0, 1);
    const error = await errorOf(() => pairedFolderProvider.load({ root, size: [4, 4] }, {}, { baseDir: '.', rng: SeededRng.from(1) }));
    expect(error.code).toBe('DATA_FILE_INVALID');
    expect(error.message).toMatch(/only-a.png/);
    expect(pairedFolderProvider.checkOptions!({ root: temp.path('absent') }, { baseDir: '.' })[0]?.message).toMatch(/absent\/A is not a folder/);
  });
});
