import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** The wasm backend (fast inference), warmed up so that tfjs's one-off cached scalars do not count as leaks. */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
  await tf.ready();
  const x = tf.input({ shape: [4, 4, 2] });
  const y = tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const warm = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(y) as tf.SymbolicTensor) as tf.SymbolicTensor });
  tf.tidy(() => warm.predict(tf.zeros([1, 4, 4, 2])));
  warm.dispose();
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function leakedBy(fn: () => Promise<void>): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
