import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Runs `fn` and asserts it leaves the number of live tensors unchanged. */
export async function expectNoTensorLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}
