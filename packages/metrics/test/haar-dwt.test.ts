import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@whittle/engine';
import { errorOf, withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandErrorsOf, disposeHaar, haarDwt, haarLevel, inverseHaarDwt } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('Haar DWT', () => {
  it('gives the hand-computed bands of a known 4×4 image', async () => {
    // Blocks (row-major 2×2): [1 2; 5 6], [3 4; 7 8], [9 10; 13 14], [11 12; 15 16].
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
    await withoutLeaks(() => {
      const [ll, lh, hl, hh] = haarLevel(x);
      // LL = (a+b+c+d)/2, LH = (a+b−c−d)/2, HL = (a−b+c−d)/2, HH = (a−b−c+d)/2.
      expect(values(ll)).toEqual([7, 11, 23, 27]);
      expect(values(lh)).toEqual([-4, -4, -4, -4]);
      expect(values(hl)).toEqual([-1, -1, -1, -1]);
      expect(values(hh)).toEqual([0, 0, 0, 0]);
      tf.dispose([ll, lh, hl, hh]);
    });
    x.dispose();
  });

  it('equals a stride-2 depthwise conv with the four Haar kernels', () => {
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const kernels = [[1, 1, 1, 1], [1, 1, -1, -1], [1, -1, 1, -1], [1, -1, -1, 1]]; // taps tl, tr, bl, br
    const bands = haarLevel(x);
    kernels.forEach((k, band) => {
      const filter = tf.tidy(() => tf.tensor4d(k.map((v) => v / 2), [2, 2, 1, 1]).tile([1, 1, 3, 1]) as tf.Tensor4D);
      const conv = tf.depthwiseConv2d(x, filter, 2, 'valid');
      expect(Math.max(...values(conv.sub(bands[band]!).abs()))).toBeLessThan(1e-6);
      tf.dispose([filter, conv]);
    });
    tf.dispose([x, ...bands]);
  });

  it('reconstructs its input to 1e-5 from three levels', async () => {
    const x = tf.randomNormal([3, 32, 32, 2], 0, 1, 'float32', 11) as tf.Tensor4D;
    await withoutLeaks(() => {
      const bands = haarDwt(x, 3);
      expect(bands.high.map((b) => b.lh.shape[1])).toEqual([16, 8, 4]);
      expect(bands.low.shape).toEqual([3, 4, 4, 2]);
      const back = inverseHaarDwt(bands);
      expect(tf.tidy(() => back.sub(x).abs().max().dataSync()[0])).toBeLessThanOrEqual(1e-5);
      // Orthonormal: the energy of the bands is the energy of the image.
      const energy = (t: tf.Tensor): number => tf.tidy(() => t.square().sum().dataSync()[0]!);
      const bandEnergy = energy(bands.low) + bands.high.reduce((s, b) => s + energy(b.lh) + energy(b.hl) + energy(b.hh), 0);
      expect(bandEnergy / energy(x)).toBeCloseTo(1, 5);
      disposeHaar(bands);
      back.dispose();
    });
    x.dispose();
  });

  it('gives a constant image zero high-band energy', () => {
    const x = tf.fill([2, 16, 16, 1], 0.7) as tf.Tensor4D;
    const bands = haarDwt(x, 3);
    for (const b of bands.high) for (const t of [b.lh, b.hl, b.hh]) expect(t.abs().max().dataSync()[0]).toBeLessThan(1e-6);
    expect(bands.low.mean().dataSync()[0]).toBeCloseTo(0.7 * 8, 4); // each level doubles the mean (½·4 taps)
    disposeHaar(bands);
    x.dispose();
  });

  it('refuses sides not divisible by 2^levels, naming them', async () => {
    const x = tf.zeros([1, 12, 12, 1]) as tf.Tensor4D;
    expect((await errorOf(() => haarDwt(x, 3))).message).toMatch(/divisible by 8, got 12×12/);
    x.dispose();
  });

  it('per-band errors: blur moves the high-band error far more than the low-band error', () => {
    const x = tf.randomUniform([4, 16, 16, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const blurred = tf.tidy(() => tf.avgPool(x, 2, 1, 'same') as tf.Tensor4D);
    const e = bandErrorsOf(blurred, x, 2);
    expect(e.perLevel).toHaveLength(2);
    expect(e.high).toBeGreaterThan(e.ll);
    expect(bandErrorsOf(x, x, 2).high).toBe(0);
    tf.dispose([x, blurred]);
  });
});
