import * as tf from '@tensorflow/tfjs';
import { latencySites, measureSignature, signatureKey, type LatencyEntry } from '@whittle/plugin-profiler';

/** How per-layer latency is measured for the report. */
export interface LayerLatencyOptions {
  /** Batch size of the measured layers. Default 1. */
  readonly batchSize?: number;
  /** Untimed runs per layer. Default 3. */
  readonly warmup?: number;
  /** Timed loops per layer (median). Default 10. */
  readonly runs?: number;
}

/** Latency per layer (ms, summed over the layer's calls), and how it was measured. */
export interface LayerLatency {
  readonly backend: string;
  readonly batchSize: number;
  readonly runs: number;
  readonly byLayer: ReadonlyMap<string, number>;
}

/**
 * Measures each layer of `model` alone on the active tfjs backend with the profiler's
 * `measureSignature` (its op on random inputs, median of `runs` timed loops), the measurements the
 * profiler's latency tables hold. Layers the profiler does not model (Flatten, Dropout …) are left
 * out. `cache` reuses a signature measured for an earlier model (same shape, same backend).
 *
 * ```ts
 * const { byLayer } = await measureLayerLatency(model, { runs: 10 });
 * ```
 */
export async function measureLayerLatency(model: tf.LayersModel, options: LayerLatencyOptions = {}, cache: Map<string, LatencyEntry> = new Map()): Promise<LayerLatency> {
  const { batchSize = 1, warmup = 3, runs = 10 } = options;
  const backend = tf.getBackend();
  const byLayer = new Map<string, number>();
  for (const site of latencySites(model, [], { backend, adapter: null, batch: batchSize })) {
    const key = signatureKey(site.signature);
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = await measureSignature(site.signature, { warmup, runs });
      cache.set(key, entry);
    }
    byLayer.set(site.layer, (byLayer.get(site.layer) ?? 0) + entry.ms);
  }
  return { backend, batchSize, runs, byLayer };
}
