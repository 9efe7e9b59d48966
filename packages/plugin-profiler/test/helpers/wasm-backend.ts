import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** The wasm backend, warmed up so that tfjs's one-off cached scalars do not count as leaks. */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
  await tf.ready();
  tf.tidy(() => tf.conv2d(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same').add(tf.scalar(1)));
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function leakedBy(fn: () => Promise<void>): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}

/** Expects `fn` to throw a WhittleError with `code`; returns its message. */
export async function errorOf(fn: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return { code: String(e.code), message: String(e.message) };
  }
  throw new Error('expected an error, none was thrown');
}
