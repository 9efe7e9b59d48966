import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { signatureKey, type LayerSignature } from './layer-signature.js';
import type { LatencyClock, LatencyEntry } from './latency-table.js';
import { timeOp } from './time-op.js';

export interface MeasureSignatureOptions {
  /** Untimed runs first. Default 3. */
  readonly warmup?: number;
  /** Timed runs (the median is kept). Default 10. */
  readonly runs?: number;
  /** Which clock `ms` reads. Default 'wall'. */
  readonly clock?: LatencyClock;
  /** Seed of the random input and weights. Default 1. */
  readonly seed?: number;
}

/** keras/tfjs `deconvLength`: the output size of a transposed convolution. */
function transposedSize(size: number, stride: number, kernel: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

/** The op of a signature on random tensors: its inputs (to dispose) and a function that runs it once. */
function buildOp(s: LayerSignature, seed: number): { tensors: tf.Tensor[]; run: () => tf.Tensor } {
  const rand = (shape: number[], offset: number): tf.Tensor => tf.randomNormal(shape, 0, 0.1, 'float32', seed + offset);
  switch (s.op) {
    case 'dense': {
      const x = rand([s.batch * s.height * s.width, s.cin], 0) as tf.Tensor2D;
      const w = rand([s.cin, s.cout], 1) as tf.Tensor2D;
      return { tensors: [x, w], run: () => tf.matMul(x, w) };
    }
    case 'conv2d': {
      const x = rand([s.batch, s.height, s.width, s.cin], 0) as tf.Tensor4D;
      const w = rand([s.kernel[0], s.kernel[1], s.cin, s.cout], 1) as tf.Tensor4D;
      return { tensors: [x, w], run: () => tf.conv2d(x, w, [...s.stride], s.padding, 'NHWC', [...s.dilation]) };
    }
    case 'depthwise': {
      const x = rand([s.batch, s.height, s.width, s.cin], 0) as tf.Tensor4D;
      const w = rand([s.kernel[0], s.kernel[1], s.cin, s.multiplier], 1) as tf.Tensor4D;
      return { tensors: [x, w], run: () => tf.depthwiseConv2d(x, w, [...s.stride], s.padding, 'NHWC', [...s.dilation]) };
    }
    case 'separable': {
      const x = rand([s.batch, s.height, s.width, s.cin], 0) as tf.Tensor4D;
      const dw = rand([s.kernel[0], s.kernel[1], s.cin, s.multiplier], 1) as tf.Tensor4D;
      const pw = rand([1, 1, s.cin * s.multiplier, s.cout], 2) as tf.Tensor4D;
      return { tensors: [x, dw, pw], run: () => tf.separableConv2d(x, dw, pw, [...s.stride], s.padding, [...s.dilation]) };
    }
    case 'conv2d-transpose': {
      if (s.dilation[0] !== 1 || s.dilation[1] !== 1) {
        throw inputError('LATENCY_UNSUPPORTED_SIGNATURE', `${signatureKey(s)}: tfjs has no dilated transposed convolution`, 'Use dilation 1 for conv2d-transpose.');
      }
      const x = rand([s.batch, s.height, s.width, s.cin], 0) as tf.Tensor4D;
      const w = rand([s.kernel[0], s.kernel[1], s.cout, s.cin], 1) as tf.Tensor4D;
      const out: [number, number, number, number] = [
        s.batch, transposedSize(s.height, s.stride[0], s.kernel[0], s.padding), transposedSize(s.width, s.stride[1], s.kernel[1], s.padding), s.cout,
      ];
      return { tensors: [x, w], run: () => tf.conv2dTranspose(x, w, out, [...s.stride], s.padding) };
    }
  }
}

/**
 * Times ONE layer in isolation on the active backend: its op (conv2d, depthwiseConv2d,
 * separableConv2d, conv2dTranspose or matMul) on seeded random input and weights, `warmup` untimed
 * runs, then the median, p10 and p90 of `runs` timed runs with the read-back of the output included;
 * `tf.time` kernel times are recorded where the backend reports them. Bias, BatchNorm and
 * activations are not part of the signature: the predictor's constant absorbs them.
 *
 * ```ts
 * const entry = await measureSignature(signature, { warmup: 3, runs: 10 });
 * console.log(`${entry.ms.toFixed(3)} ms (${entry.clock})`);
 * ```
 */
export async function measureSignature(signature: LayerSignature, options: MeasureSignatureOptions = {}): Promise<LatencyEntry> {
  const { warmup = 3, runs = 10, clock = 'wall', seed = 1 } = options;
  if (!Number.isInteger(warmup) || warmup < 0 || !Number.isInteger(runs) || runs < 1) {
    throw inputError('BAD_LATENCY_OPTION', `measureSignature: warmup must be an integer ≥ 0 and runs ≥ 1, got warmup ${warmup}, runs ${runs}`, 'Use e.g. warmup 3, runs 10.');
  }
  const backend = tf.getBackend();
  if (signature.backend !== backend) {
    throw inputError('LATENCY_BACKEND_MISMATCH', `${signatureKey(signature)} is for backend "${signature.backend}", but the active tfjs backend is "${backend}"`,
      `Select backend "${signature.backend}" first (selectBackend / --backend), or build the signature for "${backend}".`);
  }
  const { tensors, run } = buildOp(signature, seed);
  try {
    const times = await timeOp(run, { warmup, runs });
    if (clock === 'kernel') {
      if (times.kernel === undefined) {
        throw inputError('LATENCY_NO_KERNEL_CLOCK', `backend "${backend}" reports no kernel time (tf.time().kernelMs), so a "kernel" clock table cannot be built`,
          'Use the wall clock, or (WebGL) enable timer queries.');
      }
      return { signature, ms: times.kernel.median, p10: times.kernel.p10, p90: times.kernel.p90, runs, clock, kernelMs: times.kernel.median, wallMs: times.wall.median };
    }
    const entry: LatencyEntry = { signature, ms: times.wall.median, p10: times.wall.p10, p90: times.wall.p90, runs, clock };
    return times.kernel === undefined ? entry : { ...entry, kernelMs: times.kernel.median };
  } finally {
    tf.dispose(tensors);
  }
}
