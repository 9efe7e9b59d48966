import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Activates the wasm backend and warms it up (a conv → BatchNorm → dense model, and a conv plus a
 * scalar), so that the tensors tfjs caches on first use are not counted as a test's leaks.
 *
 * ```ts
 * beforeAll(useWasm);
 * ```
 */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
  await tf.ready();
  const x = tf.input({ shape: [4, 4, 2] });
  const y = tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const warm = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(y) as tf.SymbolicTensor) as tf.SymbolicTensor });
  tf.tidy(() => warm.predict(tf.zeros([1, 4, 4, 2])));
  warm.dispose();
  tf.tidy(() => tf.conv2d(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same').add(tf.scalar(1)));
}
