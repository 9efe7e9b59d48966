import * as tf from '@tensorflow/tfjs';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { similarityLoss, similarityMatrix } from '../src/index.js';

beforeAll(useWasm);

const value = (t: tf.Tensor): number => t.dataSync()[0]!;

describe('SP-KD (Tung & Mori): similarityMatrix and similarityLoss', () => {
  it('matches a value computed by hand, with different feature counts for teacher and student', async () => {
    await withoutLeaks(() => {
      // Teacher Q = [[1, 1], [1, 0]]: G = [[2, 1], [1, 1]], rows / √5 and / √2.
      // Student Q = [[1, 0, 0], [0, 2, 0]]: G = [[1, 0], [0, 4]], rows normalised: the identity.
      // ‖Ĝ_T − Ĝ_S‖²_F / b² = ((2/√5 − 1)² + 1/5 + 1/2 + (1/√2 − 1)²) / 4 = 1 − 1/√5 − √2/4.
      const expected = 1 - 1 / Math.sqrt(5) - Math.SQRT2 / 4;
      const teacher = tf.tensor2d([[1, 1], [1, 0]]);
      const student = tf.tensor2d([[1, 0, 0], [0, 2, 0]]);
      const g = similarityMatrix(teacher);
      expect(Array.from(g.dataSync())).toEqual([2 / Math.sqrt(5), 1 / Math.sqrt(5), 1 / Math.SQRT2, 1 / Math.SQRT2].map((v) => expect.closeTo(v, 6)));
      const loss = similarityLoss(student, g);
      expect(value(loss)).toBeCloseTo(expected, 6);
      expect(expected).toBeCloseTo(0.199233, 5);
      tf.dispose([teacher, student, g, loss]);
    });
  });

  it('flattens every feature of NHWC activations (the layout does not matter) and divides by b²', async () => {
    await withoutLeaks(() => {
      const a = tf.randomNormal([5, 3, 3, 4], 0, 1, 'float32', 1);
      const b = tf.randomNormal([5, 2, 2, 7], 0, 1, 'float32', 2);
      const g = similarityMatrix(a);
      expect(tf.tidy(() => value(tf.max(tf.abs(tf.sub(g, similarityMatrix(a.reshape([5, 36])))))))).toBeLessThan(1e-6);
      // By hand: Q·Qᵀ, each row over its L2 norm, squared Frobenius distance over b².
      const manual = tf.tidy(() => {
        const norm = (q: tf.Tensor2D): tf.Tensor2D => {
          const gram = tf.matMul(q, q, false, true);
          return tf.div(gram, tf.sqrt(tf.sum(tf.square(gram), 1, true)));
        };
        return tf.div(tf.sum(tf.square(tf.sub(norm(a.reshape([5, -1])), norm(b.reshape([5, -1]))))), 25);
      });
      const loss = similarityLoss(b, g);
      expect(value(loss)).toBeCloseTo(value(manual), 6);
      expect(value(loss)).toBeGreaterThan(1e-3);
      tf.dispose([a, b, g, manual, loss]);
    });
  });

  it('is zero for identical activations and for activations that differ only in scale', async () => {
    await withoutLeaks(() => {
      const a = tf.randomNormal([8, 4, 4, 3], 0, 1, 'float32', 3);
      const g = similarityMatrix(a);
      const same = similarityLoss(a, g);
      const scaled = tf.mul(a, 7);
      const scaledLoss = similarityLoss(scaled, g);
      expect(value(same)).toBeLessThan(1e-12);
      expect(value(scaledLoss)).toBeLessThan(1e-10);
      tf.dispose([a, g, same, scaled, scaledLoss]);
    });
  });

  it('refuses a teacher similarity matrix of another batch size', () => {
    const a = tf.zeros([4, 3]);
    const g = tf.eye(3) as tf.Tensor2D;
    expect(() => similarityLoss(a, g)).toThrow(/batch 4 vs teacher similarity 3×3/);
    tf.dispose([a, g]);
  });

  it('has the gradient of the textbook Q·Qᵀ formulation (its Gram matrix has a hand-written gradient)', async () => {
    await withoutLeaks(() => {
      const student = tf.randomNormal([6, 3, 3, 5], 0, 1, 'float32', 4);
      const teacher = tf.tidy(() => similarityMatrix(tf.randomNormal([6, 2, 2, 4], 0, 1, 'float32', 5)));
      const textbook = (a: tf.Tensor): tf.Scalar => {
        const q = a.reshape([6, -1]) as tf.Tensor2D;
        const gram = tf.matMul(q, q, false, true);
        const normalised = tf.div(gram, tf.maximum(tf.norm(gram, 2, 1, true), 1e-12));
        return tf.div(tf.sum(tf.square(tf.sub(teacher, normalised))), 36) as tf.Scalar;
      };
      const ours = tf.grad((a: tf.Tensor) => similarityLoss(a, teacher))(student);
      const expected = tf.grad(textbook)(student);
      const scale = tf.tidy(() => value(tf.max(tf.abs(expected))));
      const error = tf.tidy(() => value(tf.max(tf.abs(tf.sub(ours, expected)))));
      expect(scale).toBeGreaterThan(1e-4);
      expect(error / scale).toBeLessThan(1e-5);
      tf.dispose([student, teacher, ours, expected]);
    });
  });
});
