import * as tf from '@tensorflow/tfjs';

/** Largest quantized magnitude at `bits`: unsigned 2^b − 1 levels (post-ReLU activations), signed 2^(b−1) − 1 (symmetric). */
export function quantLevels(bits: number, signed: boolean): number {
  return signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
}

/**
 * Linear fake quantization with a straight-through estimator: forward `clip(round(x/s), lo, hi)·s`
 * with `s = range / levels`; backward passes the gradient through unchanged inside the clipping range
 * and zeroes it outside (the STE of HAQ's and N3H's `quantize_utils`).
 *
 * ```ts
 * fakeQuantize(tf.tensor1d([0.26, 2]), 2, 1, false); // [0.3333, 1]
 * ```
 */
export function fakeQuantize(x: tf.Tensor, bits: number, range: number, signed: boolean): tf.Tensor {
  const levels = quantLevels(bits, signed);
  const scale = range / levels;
  const low = signed ? -range : 0;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([t]);
    const value = tf.tidy(() => tf.mul(tf.round(tf.div(tf.clipByValue(t, low, range), scale)), scale));
    return {
      value,
      gradFunc: (dy, saved) => {
        const [kept] = saved as [tf.Tensor];
        return tf.tidy(() => tf.mul(dy, tf.cast(tf.logicalAnd(tf.greaterEqual(kept, low), tf.lessEqual(kept, range)), 'float32')));
      },
    };
  });
  return op(x) as tf.Tensor;
}

/**
 * Per-output-channel symmetric weight quantization (the last axis counts output channels: Conv2D
 * `[kh, kw, cin, cout]`, Dense `[in, out]`, depthwise `[kh, kw, c, m]` flattened): channel `c` at
 * `channelBits[c]` bits with scale `max|w_c| / (2^(b−1) − 1)`. Returns the dequantized weights.
 */
export function quantizeKernel(kernel: tf.Tensor, channelBits: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const shape = kernel.shape;
    const channels = channelBits.length;
    const flat = kernel.reshape([-1, channels]);
    const levels = tf.tensor1d(channelBits.map((b) => quantLevels(b, true)));
    const maxAbs = tf.maximum(tf.max(tf.abs(flat), 0), 1e-12);
    const scale = tf.div(maxAbs, levels);
    return tf.mul(tf.round(tf.div(flat, scale)), scale).reshape(shape);
  });
}

/** Each output channel's relative squared error at `bits`: ‖w_c − q(w_c)‖² / ‖w_c‖² (0 for an all-zero channel). */
export function channelQuantErrors(kernel: tf.Tensor, bits: number): Float32Array {
  const channels = kernel.shape[kernel.shape.length - 1] as number;
  return tf.tidy(() => {
    const flat = kernel.reshape([-1, channels]);
    const quantized = quantizeKernel(flat, new Array<number>(channels).fill(bits));
    const error = tf.sum(tf.square(tf.sub(flat, quantized)), 0);
    const energy = tf.maximum(tf.sum(tf.square(flat), 0), 1e-30);
    return tf.div(error, energy).dataSync() as Float32Array;
  });
}
