import type * as tf from '@tensorflow/tfjs';
import { measureLatency } from './measure-latency.js';
import { roundRobinLowest } from './round-robin-latency.js';

/**
 * Latency of several models measured together: `windows` round-robin rounds, each model's median of
 * `runs` per round, and the lowest round kept — a round that other work on the machine preempted reads
 * high, and interleaving keeps the models' figures comparable (same stretch of the machine's time).
 *
 * ```ts
 * const [denseMs, prunedMs] = await steadyLatency([dense, pruned], { batchSize: 1, runs: 30 });
 * ```
 */
export async function steadyLatency(models: readonly tf.LayersModel[], options: { batchSize: number; runs: number; windows?: number; warmup?: number }): Promise<number[]> {
  // One measureLatency call (its own median of `runs`) per model and window.
  return roundRobinLowest(models.length, { windows: options.windows ?? 3, runs: 1 }, async (i) =>
    (await measureLatency(models[i]!, { batchSize: options.batchSize, warmup: options.warmup ?? 20, runs: options.runs })).medianMs);
}

/**
 * A model's latency as a ratio to a reference model timed in the same round-robin windows, times the
 * reference's known latency: drift in the machine's speed (other work) cancels out of the ratio.
 *
 * ```ts
 * const prunedMs = await latencyRelativeTo(dense, denseMs, pruned, { batchSize: 8, runs: 30 });
 * ```
 */
export async function latencyRelativeTo(
  reference: tf.LayersModel,
  referenceMs: number,
  model: tf.LayersModel,
  options: { batchSize: number; runs: number; windows?: number; warmup?: number },
): Promise<number> {
  const [dense, measured] = (await steadyLatency([reference, model], options)) as [number, number];
  return (measured / dense) * referenceMs;
}
