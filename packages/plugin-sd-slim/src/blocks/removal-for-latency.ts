import * as tf from '@tensorflow/tfjs';
import type { BlockBounds } from '@whittle/graph';
import { roundRobinLowest } from '@whittle/metrics';
import { timedUnetCall, unetCallInputs } from '../metrics/unet-latency.js';
import { removeBlocks } from './remove-blocks.js';

/** How many of the ranked blocks to remove for a latency target, and what the removal measured. */
export interface RemovalForLatency {
  /** Blocks to remove: the first `count` of the ranking. */
  readonly count: number;
  /** Batch-1 U-Net latency of the model and of the model without the first `count` blocks, ms (lowest round-robin window each). */
  readonly fullMs: number;
  readonly slimMs: number;
  /** Measured fraction of the latency saved, 1 − slimMs / fullMs. */
  readonly saving: number;
  /** Whether `saving` reached the target (false: even every ranked block removed falls short). */
  readonly reached: boolean;
}

/** Options of `removalForLatency`. */
export interface RemovalForLatencyOptions {
  /** Timed batch-1 calls per model in each window (median). Default 10. */
  readonly runs?: number;
  /** Round-robin windows over the model and the candidate; each one's lowest window counts. Default 3. */
  readonly windows?: number;
}

/**
 * The fewest blocks, taken in rank order, whose removal saves `target` of the model's batch-1
 * latency — measured on the assembled slim model each time, not summed from the redundancy table:
 * per-block savings are not additive (on wasm a small U-Net's time is mostly per-layer dispatch) and
 * each is within about a millisecond of noise, so a sum both over- and under-shoots. Candidates
 * are timed against the original model in round-robin windows (`roundRobinLowest`); each
 * candidate is disposed once measured.
 *
 * ```ts
 * const plan = await removalForLatency(unet, ranked, 0.3);
 * const { model: slim } = await removeBlocks(unet, ranked.slice(0, plan.count));
 * ```
 */
export async function removalForLatency(model: tf.LayersModel, ranked: readonly BlockBounds[], target: number, options: RemovalForLatencyOptions = {}): Promise<RemovalForLatency> {
  if (!(target > 0 && target < 1)) throw new Error(`removalForLatency: target must be in (0, 1), got ${target}`);
  const inputs = unetCallInputs(model, 1);
  const timing = { windows: options.windows ?? 3, runs: options.runs ?? 10 };
  let last: RemovalForLatency = { count: 0, fullMs: 0, slimMs: 0, saving: 0, reached: false };
  try {
    for (let count = 1; count <= ranked.length; count++) {
      const { model: slim } = await removeBlocks(model, ranked.slice(0, count));
      try {
        const both = [model, slim];
        for (const m of both) for (let i = 0; i < 2; i++) await timedUnetCall(m, inputs);
        const [fullMs, slimMs] = await roundRobinLowest(2, timing, (i) => timedUnetCall(both[i] as tf.LayersModel, inputs)) as [number, number];
        last = { count, fullMs, slimMs, saving: 1 - slimMs / fullMs, reached: 1 - slimMs / fullMs >= target };
      } finally {
        slim.dispose();
      }
      if (last.reached) return last;
    }
    return last;
  } finally {
    tf.dispose(inputs);
  }
}
