import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * Runs `body` and asserts that it leaves exactly as many tensors alive as before.
 *
 * ```ts
 * const scores = await withoutLeaks(() => spLampScores(model));
 * ```
 */
export async function withoutLeaks<T>(body: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return result;
}
