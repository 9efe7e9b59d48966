import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { signatureKey, type ActivationKind, type LayerSignature, type MergeKind } from '@whittle/graph';

/** Seeded random inputs and weights (to dispose), and a function that runs the signature's op on them once. */
export interface SignatureOp {
  readonly tensors: tf.Tensor[];
  readonly run: () => tf.Tensor;
}

/** keras/tfjs `deconvLength`: the output size of a transposed convolution. */
function transposedSize(size: number, stride: number, kernel: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

/** The ops tfjs-layers runs for each activation (tfjs-layers 4.22 `activations.ts`, `advanced_activations.ts`). */
function activationFn(kind: ActivationKind): (x: tf.Tensor) => tf.Tensor {
  switch (kind) {
    case 'relu': return (x) => tf.relu(x);
    case 'relu-max': return (x) => tf.tidy(() => tf.clipByValue(tf.relu(x), 0, 6));
    case 'relu6': return (x) => tf.tidy(() => tf.minimum(6, tf.relu(x)));
    case 'leaky-relu': return (x) => tf.leakyRelu(x, 0.3);
    case 'elu': return (x) => tf.elu(x);
    case 'selu': return (x) => tf.selu(x);
    case 'sigmoid': return (x) => tf.sigmoid(x);
    case 'hard-sigmoid': return (x) => tf.tidy(() => tf.clipByValue(tf.add(0.5, tf.mul(0.2, x)), 0, 1));
    case 'tanh': return (x) => tf.tanh(x);
    case 'softplus': return (x) => tf.softplus(x);
    case 'softsign': return (x) => tf.tidy(() => tf.div(x, tf.add(tf.abs(x), 1)));
    case 'swish': return (x) => tf.tidy(() => tf.mul(tf.sigmoid(tf.mul(x, 1)), x));
    case 'mish': return (x) => tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x))));
    case 'gelu': return (x) => tf.tidy(() => tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))));
    case 'gelu-new': return (x) => tf.tidy(() => tf.mul(0.5, tf.mul(x, tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))))));
    case 'thresholded-relu': return (x) => tf.tidy(() => tf.mul(x, tf.cast(tf.greater(x, 1), 'float32')));
  }
}

/** The chain of binary ops tfjs-layers' merge layers run over their inputs (`merge.ts`). */
function mergeFn(kind: MergeKind, inputs: readonly tf.Tensor[]): () => tf.Tensor {
  const first = inputs[0] as tf.Tensor;
  const rest = inputs.slice(1);
  const chain = (op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, start: () => tf.Tensor) => (): tf.Tensor => tf.tidy(() => rest.reduce(op, start()));
  switch (kind) {
    case 'add': return chain((a, b) => tf.add(a, b), () => first.clone());
    case 'subtract': return () => tf.sub(first, inputs[1] as tf.Tensor);
    case 'multiply': return chain((a, b) => tf.mul(a, b), () => first.clone());
    case 'average': return () => tf.tidy(() => tf.mul(1 / inputs.length, rest.reduce((a, b) => tf.add(a, b), first.clone())));
    case 'maximum': return chain((a, b) => tf.maximum(a, b), () => first);
    case 'minimum': return chain((a, b) => tf.minimum(a, b), () => first);
  }
}

/**
 * The tfjs op a signature stands for, on seeded random input and weights: conv2d, depthwiseConv2d,
 * separableConv2d, conv2dTranspose, matMul; batchNorm, the activation's ops, the merge's chain of
 * binary ops, maxPool / avgPool, mean / max over rows and columns, pad. Bias, and activations fused
 * into a weighted layer, are not part of it. The caller disposes `tensors`.
 *
 * ```ts
 * const { tensors, run } = signatureOp(signature, 1);
 * tf.dispose(run());
 * tf.dispose(tensors);
 * ```
 */
export function signatureOp(s: LayerSignature, seed: number): SignatureOp {
  const rand = (shape: number[], offset: number): tf.Tensor => tf.randomNormal(shape, 0, 0.1, 'float32', seed + offset);
  const image = (): tf.Tensor4D => rand([s.batch, s.height, s.width, s.cin], 0) as tf.Tensor4D;
  switch (s.op) {
    case 'dense': {
      const x = rand([s.batch * s.height * s.width, s.cin], 0) as tf.Tensor2D;
      const w = rand([s.cin, s.cout], 1) as tf.Tensor2D;
      return { tensors: [x, w], run: () => tf.matMul(x, w) };
    }
    case 'conv2d': {
      const x = image();
      const w = rand([s.kernel[0], s.kernel[1], s.cin, s.cout], 1) as tf.Tensor4D;
      return { tensors: [x, w], run: () => tf.conv2d(x, w, [...s.stride], s.padding, 'NHWC', [...s.dilation]) };
    }
    case 'depthwise': {
      const x = image();
      const w = rand([s.kernel[0], s.kernel[1], s.cin, s.multiplier], 1) as tf.Tensor4D;
      return { tensors: [x, w], run: () => tf.depthwiseConv2d(x, w, [...s.stride], s.padding, 'NHWC', [...s.dilation]) };
    }
    case 'separable': {
      const x = image();
      const dw = rand([s.kernel[0], s.kernel[1], s.cin, s.multiplier], 1) as tf.Tensor4D;
      const pw = rand([1, 1, s.cin * s.multiplier, s.cout], 2) as tf.Tensor4D;
      return { tensors: [x, dw, pw], run: () => tf.separableConv2d(x, dw, pw, [...s.stride], s.padding, [...s.dilation]) };
    }
    case 'conv2d-transpose': {
      if (s.dilation[0] !== 1 || s.dilation[1] !== 1) {
        throw inputError('LATENCY_UNSUPPORTED_SIGNATURE', `${signatureKey(s)}: tfjs has no dilated transposed convolution`, 'Use dilation 1 for conv2d-transpose.');
      }
      const x = image();
      const w = rand([s.kernel[0], s.kernel[1], s.cout, s.cin], 1) as tf.Tensor4D;
      const out: [number, number, number, number] = [
        s.batch, transposedSize(s.height, s.stride[0], s.kernel[0], s.padding), transposedSize(s.width, s.stride[1], s.kernel[1], s.padding), s.cout,
      ];
      return { tensors: [x, w], run: () => tf.conv2dTranspose(x, w, out, [...s.stride], s.padding) };
    }
    case 'batch-norm': {
      const x = image();
      const mean = rand([s.cin], 1) as tf.Tensor1D;
      const variance = tf.tidy(() => tf.abs(rand([s.cin], 2)).add(1)) as tf.Tensor1D;
      const offset = rand([s.cin], 3) as tf.Tensor1D;
      const scale = rand([s.cin], 4) as tf.Tensor1D;
      return { tensors: [x, mean, variance, offset, scale], run: () => tf.batchNorm(x, mean, variance, offset, scale, 1e-3) };
    }
    case 'activation': {
      const x = image();
      const fn = activationFn(s.activation);
      return { tensors: [x], run: () => fn(x) };
    }
    case 'merge': {
      if (s.merge === 'subtract' && s.inputs !== 2) {
        throw inputError('LATENCY_UNSUPPORTED_SIGNATURE', `${signatureKey(s)}: a Subtract layer has exactly 2 inputs`, 'Use inputs 2 for merge "subtract".');
      }
      const xs = Array.from({ length: s.inputs }, (_, i) => rand([s.batch, s.height, s.width, s.cin], i));
      return { tensors: xs, run: mergeFn(s.merge, xs) };
    }
    case 'max-pool':
    case 'avg-pool': {
      const x = image();
      const pool = s.op === 'max-pool' ? tf.maxPool : tf.avgPool;
      return { tensors: [x], run: () => pool(x, [...s.kernel], [...s.stride], s.padding) };
    }
    case 'global-avg-pool': {
      const x = image();
      return { tensors: [x], run: () => tf.mean(x, [1, 2]) };
    }
    case 'global-max-pool': {
      const x = image();
      return { tensors: [x], run: () => tf.max(x, [1, 2]) };
    }
    case 'zero-pad': {
      const x = image();
      const [top, bottom, left, right] = s.pads;
      return { tensors: [x], run: () => tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) };
    }
  }
}
