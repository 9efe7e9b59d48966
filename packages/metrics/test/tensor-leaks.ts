import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Runs `body` and asserts that it left no tensor behind. */
export async function expectNoTensorLeak<T>(body: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}
