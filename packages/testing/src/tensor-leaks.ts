import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * Runs `body` and asserts that it leaves exactly as many tensors alive as before; returns its result.
 *
 * ```ts
 * const y = await withoutLeaks(() => tf.tidy(() => tf.add(a, b).dataSync()));
 * ```
 */
export async function withoutLeaks<T>(body: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return result;
}

/**
 * Runs `body` and returns how many tensors it left behind (negative: it freed some it did not make),
 * for tests that expect a known number to survive.
 *
 * ```ts
 * expect(await leakedBy(async () => { kept = tf.zeros([2]); })).toBe(1);
 * ```
 */
export async function leakedBy(body: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await body();
  return tf.memory().numTensors - before;
}
