import * as tf from '@tensorflow/tfjs';

/**
 * Scaled dot-product attention with `heads` heads: `softmax(Q·Kᵀ/√d)·V` per head, where
 * q is [B, N, C] and k, v are [B, M, C] (C divisible by `heads`). Returns [B, N, C].
 * Built from reshape/transpose/matMul/softmax only, so it trains on stock wasm.
 *
 * ```ts
 * const y = multiHeadAttention(q, k, v, 2);
 * ```
 */
export function multiHeadAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, heads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, n, c] = q.shape;
    const m = k.shape[1];
    const d = c / heads;
    const split = (t: tf.Tensor3D, len: number): tf.Tensor3D =>
      tf.reshape(tf.transpose(tf.reshape(t, [b, len, heads, d]), [0, 2, 1, 3]), [b * heads, len, d]);
    const qh = split(q, n);
    const kh = split(k, m);
    const vh = split(v, m);
    const logits = tf.mul(tf.matMul(qh, kh, false, true), 1 / Math.sqrt(d));
    const out = tf.matMul(tf.softmax(logits), vh);
    return tf.reshape(tf.transpose(tf.reshape(out, [b, heads, n, d]), [0, 2, 1, 3]), [b, n, c]);
  });
}

/** `x·W + b` over the last axis of a [B, N, C] tensor. */
export function project(x: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, n, c] = x.shape;
    return tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * n, c]), kernel), bias), [b, n, kernel.shape[1]]);
  });
}

/** The one input of a single-input layer call. */
export function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}

/** The shape of the first input of a layer (single or list). */
export function firstShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** The i-th shape of a multi-input layer. */
export function shapeAt(inputShape: tf.Shape | tf.Shape[], i: number): tf.Shape {
  if (!Array.isArray(inputShape[0])) throw new Error(`expected ${i + 1} or more inputs, got one`);
  const shape = (inputShape as tf.Shape[])[i];
  if (shape === undefined) throw new Error(`expected ${i + 1} or more inputs, got ${inputShape.length}`);
  return shape;
}
