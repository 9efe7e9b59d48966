import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { signatureKey, type LayerSignature } from '@whittle/graph';
import type { LatencyClock, LatencyEntry } from './latency-table.js';
import { signatureOp } from './signature-op.js';
import { timeOp } from './time-op.js';

export interface MeasureSignatureOptions {
  /** Untimed runs first. Default 3. */
  readonly warmup?: number;
  /** Timed loops (the median is kept). Default 10. */
  readonly runs?: number;
  /** Each timed loop runs the op K times, K grown until a loop takes this long (ms). Default 1. */
  readonly minLoopMs?: number;
  /** Which clock `ms` reads. Default 'wall'. */
  readonly clock?: LatencyClock;
  /** Seed of the random input and weights. Default 1. */
  readonly seed?: number;
}

/**
 * Times ONE layer in isolation on the active backend: its op (see `signatureOp`: conv2d, matMul,
 * batchNorm, relu, add, maxPool, pad …) on seeded random input and weights, `warmup` untimed runs,
 * then the median, p10 and p90 of `runs` timed loops, each K ops back to back and one read-back,
 * divided by K (see `timeOp`; K is recorded as `repeats`). With the kernel clock, `ms` reads
 * `tf.time` kernel times and `wallMs` keeps the wall time. Bias and activations fused into a weighted layer are not part of
 * its signature: the predictor's constant absorbs them.
 *
 * ```ts
 * const entry = await measureSignature(signature, { warmup: 3, runs: 10 });
 * console.log(`${entry.ms.toFixed(3)} ms (${entry.clock})`);
 * ```
 */
export async function measureSignature(signature: LayerSignature, options: MeasureSignatureOptions = {}): Promise<LatencyEntry> {
  const { warmup = 3, runs = 10, clock = 'wall', seed = 1, minLoopMs = 1 } = options;
  if (!Number.isInteger(warmup) || warmup < 0 || !Number.isInteger(runs) || runs < 1 || !(minLoopMs >= 0)) {
    throw inputError('BAD_LATENCY_OPTION', `measureSignature: warmup must be an integer ≥ 0, runs ≥ 1 and minLoopMs ≥ 0, got warmup ${warmup}, runs ${runs}, minLoopMs ${minLoopMs}`,
      'Use e.g. warmup 3, runs 10, minLoopMs 1.');
  }
  const backend = tf.getBackend();
  if (signature.backend !== backend) {
    throw inputError('LATENCY_BACKEND_MISMATCH', `${signatureKey(signature)} is for backend "${signature.backend}", but the active tfjs backend is "${backend}"`,
      `Select backend "${signature.backend}" first (selectBackend / --backend), or build the signature for "${backend}".`);
  }
  const { tensors, run } = signatureOp(signature, seed);
  try {
    // The kernel clock costs a second set of loops: only where the table reads it.
    const times = await timeOp(run, { warmup, runs, minLoopMs, kernel: clock === 'kernel' });
    const repeats = times.repeats;
    if (clock === 'kernel') {
      if (times.kernel === undefined) {
        throw inputError('LATENCY_NO_KERNEL_CLOCK', `backend "${backend}" reports no kernel time (tf.time().kernelMs), so a "kernel" clock table cannot be built`,
          'Use the wall clock, or (WebGL) enable timer queries.');
      }
      return { signature, ms: times.kernel.median, p10: times.kernel.p10, p90: times.kernel.p90, runs, repeats, clock, kernelMs: times.kernel.median, wallMs: times.wall.median };
    }
    return { signature, ms: times.wall.median, p10: times.wall.p10, p90: times.wall.p90, runs, repeats, clock };
  } finally {
    tf.dispose(tensors);
  }
}
