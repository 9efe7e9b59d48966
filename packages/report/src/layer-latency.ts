import * as tf from '@tensorflow/tfjs';
import { latencySites, measureSignature, signatureKey, type LatencySite } from '@whittle/plugin-profiler';

/** How per-layer latency is measured for the report. */
export interface LayerLatencyOptions {
  /** Batch size of the measured layers. Default 1. */
  readonly batchSize?: number;
  /** Untimed runs per layer, before its first round. Default 3. */
  readonly warmup?: number;
  /** Timed loops per layer and round (median). Default 10. */
  readonly runs?: number;
  /**
   * Rounds over all the layers of all the models (default 3), each layer's figure the median of its
   * rounds' medians: the models' layers take turns, so a burst of load on a shared machine falls on
   * both models instead of on whichever was being measured at the time.
   */
  readonly rounds?: number;
}

/** Latency per layer (ms, summed over the layer's calls), and how it was measured. */
export interface LayerLatency {
  readonly backend: string;
  readonly batchSize: number;
  readonly runs: number;
  readonly rounds: number;
  readonly byLayer: ReadonlyMap<string, number>;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Measures each layer of each model alone on the active tfjs backend with the profiler's
 * `measureSignature` (its op on random inputs, median of `runs` timed loops) — the measurements the
 * profiler's latency tables hold — in `rounds` interleaved rounds over every distinct layer signature
 * of all the models (forward, then backward, …), taking the median over rounds. A signature two
 * models share is measured once. Layers the profiler does not model (Flatten, Dropout …) are left out.
 *
 * ```ts
 * const [before, after] = await measureLayerLatencies([dense, pruned], { runs: 10, rounds: 3 });
 * before.byLayer.get('conv1'); // ms
 * ```
 */
export async function measureLayerLatencies(models: readonly tf.LayersModel[], options: LayerLatencyOptions = {}): Promise<LayerLatency[]> {
  const { batchSize = 1, warmup = 3, runs = 10, rounds = 3 } = options;
  const backend = tf.getBackend();
  const sites: LatencySite[][] = models.map((model) => latencySites(model, [], { backend, adapter: null, batch: batchSize }));
  const signatures = new Map(sites.flat().map((site) => [signatureKey(site.signature), site.signature]));
  const keys = [...signatures.keys()];
  const times = new Map<string, number[]>(keys.map((k) => [k, []]));
  for (let round = 0; round < Math.max(1, rounds); round++) {
    for (const key of round % 2 === 0 ? keys : [...keys].reverse()) {
      const entry = await measureSignature(signatures.get(key)!, { warmup: round === 0 ? warmup : 1, runs });
      times.get(key)!.push(entry.ms);
    }
  }
  const ms = new Map([...times].map(([k, v]) => [k, median(v)]));
  return sites.map((modelSites) => {
    const byLayer = new Map<string, number>();
    for (const site of modelSites) byLayer.set(site.layer, (byLayer.get(site.layer) ?? 0) + ms.get(signatureKey(site.signature))!);
    return { backend, batchSize, runs, rounds: Math.max(1, rounds), byLayer };
  });
}

/**
 * `measureLayerLatencies` for one model.
 *
 * ```ts
 * const { byLayer } = await measureLayerLatency(model, { runs: 10 });
 * ```
 */
export async function measureLayerLatency(model: tf.LayersModel, options: LayerLatencyOptions = {}): Promise<LayerLatency> {
  return (await measureLayerLatencies([model], options))[0]!;
}
