import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@whittle/engine';
import { withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { waveletKdLoss } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const scalar = (t: tf.Scalar): number => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('waveletKdLoss', () => {
  const image = (): tf.Tensor4D => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);

  it('is zero for identical images, for every band choice', async () => {
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    await withoutLeaks(() => {
      for (const bands of ['high', 'low', 'all'] as const) expect(scalar(waveletKdLoss(x, x, 3, bands))).toBe(0);
    });
    x.dispose();
  });

  it('matches the hand-computed value on a known 4×4 image against zeros', async () => {
    const [s, t] = [image(), tf.zeros([1, 4, 4, 1]) as tf.Tensor4D];
    await withoutLeaks(() => {
      // Orthonormal units. Level 1: LH = −4, HL = −1, HH = 0 on each of the 4 blocks → (4 + 1 + 0) / 3.
      expect(scalar(waveletKdLoss(t, s, 1, 'high', 'orthonormal'))).toBeCloseTo(5 / 3, 5);
      // Level 2 on LL1 = [7 11; 23 27]: LH = −16, HL = −4, HH = 0 → (16 + 4) / 3; summed over levels.
      expect(scalar(waveletKdLoss(t, s, 2, 'high', 'orthonormal'))).toBeCloseTo(5 / 3 + 20 / 3, 5);
      // LL only: mean of LL1 = (7 + 11 + 23 + 27) / 4 at J = 1; LL2 = 34 at J = 2.
      expect(scalar(waveletKdLoss(t, s, 1, 'low', 'orthonormal'))).toBeCloseTo(17, 5);
      expect(scalar(waveletKdLoss(t, s, 2, 'all', 'orthonormal'))).toBeCloseTo(25 / 3 + 34, 4);
      // Pixel units: level j's term / 2^j, LL / 2^J.
      expect(scalar(waveletKdLoss(t, s, 2, 'high', 'pixel'))).toBeCloseTo(5 / 3 / 2 + 20 / 3 / 4, 5);
      expect(scalar(waveletKdLoss(t, s, 2, 'low', 'pixel'))).toBeCloseTo(34 / 4, 5);
      expect(scalar(waveletKdLoss(t, s, 2, 'all', 'pixel'))).toBeCloseTo(5 / 3 / 2 + 20 / 3 / 4 + 34 / 4, 4);
      // The default is pixel units: LL1's mean 17 / 2 at J = 1.
      expect(scalar(waveletKdLoss(t, s, 1, 'low'))).toBeCloseTo(17 / 2, 5);
      expect(scalar(waveletKdLoss(t, s, 2))).toBeCloseTo(5 / 3 / 2 + 20 / 3 / 4, 5);
    });
    tf.dispose([s, t]);
  });

  it('ignores a change of the mean (LL) with bands "high", and sees it with "low"', () => {
    const x = tf.randomUniform([1, 8, 8, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const shifted = x.add(0.3) as tf.Tensor4D;
    expect(scalar(waveletKdLoss(x, shifted, 3, 'high'))).toBeLessThan(1e-6);
    expect(scalar(waveletKdLoss(x, shifted, 3, 'low'))).toBeGreaterThan(0.1);
    tf.dispose([x, shifted]);
  });

  it('has a gradient in the student on wasm, and its sign pulls the student towards the teacher', () => {
    const teacher = tf.randomUniform([1, 8, 8, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    const student = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
    const grad = tf.grad((s: tf.Tensor) => waveletKdLoss(teacher, s as tf.Tensor4D, 3))(student);
    expect(tf.tidy(() => grad.abs().sum().dataSync()[0])).toBeGreaterThan(0);
    const stepped = tf.tidy(() => student.sub(grad.mul(0.01)) as tf.Tensor4D);
    expect(scalar(waveletKdLoss(teacher, stepped, 3))).toBeLessThan(scalar(waveletKdLoss(teacher, student, 3)));
    tf.dispose([teacher, student, grad, stepped]);
  });
});
