import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@whittle/engine';
import { withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureGaussian, frechetDistance, meanSsim, ssimPerImage } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('SSIM', () => {
  it('is 1 for identical images and falls as noise grows', async () => {
    const x = tf.randomUniform([3, 32, 32, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    await withoutLeaks(() => {
      expect(meanSsim(x, x)).toBeCloseTo(1, 5);
      const noisy = (s: number): number => tf.tidy(() => meanSsim(x, x.add(tf.randomNormal(x.shape, 0, s, 'float32', 2)).clipByValue(0, 1) as tf.Tensor4D));
      const [small, large] = [noisy(0.05), noisy(0.3)];
      expect(small).toBeLessThan(1);
      expect(large).toBeLessThan(small);
    });
    x.dispose();
  });

  it('matches the closed form on constant images: (2μaμb + C1)/(μa² + μb² + C1)', () => {
    const [a, b] = [tf.fill([1, 16, 16, 1], 0.2) as tf.Tensor4D, tf.fill([1, 16, 16, 1], 0.6) as tf.Tensor4D];
    const c1 = 0.01 ** 2;
    const s = ssimPerImage(a, b);
    expect(s.dataSync()[0]).toBeCloseTo((2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1), 4);
    tf.dispose([a, b, s]);
  });
});

describe('Fréchet distance', () => {
  const rows = (n: number, d: number, seed: number, shift = 0, noise = 0): Float32Array => {
    let state = seed;
    const uniform = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const gauss = (): number => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
    return Float32Array.from({ length: n * d }, (_, i) => gauss() * (1 + (i % d) / d) + shift + noise * gauss());
  };

  it('of a set with itself is ~0', () => {
    const g = featureGaussian(rows(500, 8, 1), 8);
    expect(frechetDistance(g, g)).toBeLessThan(1e-6);
  });

  it('grows with added noise and with a mean shift', () => {
    const base = featureGaussian(rows(800, 8, 1), 8);
    const d = [0.1, 0.5, 1].map((noise) => frechetDistance(base, featureGaussian(rows(800, 8, 1, 0, noise), 8)));
    expect(d[0]).toBeLessThan(d[1]!);
    expect(d[1]).toBeLessThan(d[2]!);
    // A pure mean shift s in every one of d dims adds d·s².
    const shifted = featureGaussian(rows(800, 8, 1, 2), 8);
    expect(frechetDistance(base, shifted)).toBeCloseTo(8 * 4, 3);
  });

  it('matches the closed form for diagonal Gaussians: Σ (σ1 − σ2)² + ‖μ1 − μ2‖²', () => {
    const a = featureGaussian(Float32Array.from([1, 0, -1, 0, 0, 2, 0, -2]), 2); // 4 rows
    const b = featureGaussian(Float32Array.from([2, 0, -2, 0, 0, 1, 0, -1]), 2);
    // var_a = [2/3, 8/3], var_b = [8/3, 2/3]; both means 0.
    const expected = (Math.sqrt(2 / 3) - Math.sqrt(8 / 3)) ** 2 * 2;
    expect(frechetDistance(a, b)).toBeCloseTo(expected, 6);
  });
});
