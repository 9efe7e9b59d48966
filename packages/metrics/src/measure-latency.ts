import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';

/** Wall-clock latency of `model.predict`, read-back included. */
export interface LatencyStats {
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  runs: number;
  warmup: number;
  batchSize: number;
  /** Median kernel time from `tf.time` (GPU timer queries on webgpu/webgl; wall time of the sync part on cpu/wasm). */
  kernelMs?: number;
  /** The tfjs backend that ran the model. */
  backend: string;
}

export interface MeasureLatencyOptions {
  batchSize: number;
  /** Untimed runs first, so that shader compilation, weight upload and allocator growth are not measured. Default 3. */
  warmup?: number;
  /** Timed runs. Default 20. */
  runs?: number;
  /** The input to feed (not disposed). Default: seeded random normal of [batchSize, ...inputShape]. */
  input?: tf.Tensor;
}

/** Linear interpolation between order statistics (numpy's default), on an ascending array. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw inputError('BAD_LATENCY_OPTION', `measureLatency: ${name} must be an integer ≥ ${min}, got ${value}`, `Set ${name} to e.g. ${Math.max(min, 1) * 10}.`);
  }
}

function defaultInputs(model: tf.LayersModel, batchSize: number): tf.Tensor[] {
  return model.inputs.map((input, i) => {
    const rest = input.shape.slice(1);
    if (rest.some((d) => d === null)) {
      throw inputError('UNKNOWN_INPUT_SHAPE', `measureLatency: input ${i} of model "${model.name}" has shape ${JSON.stringify(input.shape)}`, 'Pass options.input with a concrete shape.');
    }
    return tf.randomNormal([batchSize, ...(rest as number[])], 0, 1, 'float32', 1234 + i);
  });
}

/**
 * Latency of one `model.predict` on a batch, including the read-back of the outputs (`await y.data()`),
 * as the median and 10th/90th percentiles of `runs` timed runs after `warmup` untimed ones.
 * Then up to 10 more runs under `tf.time` give `kernelMs` when the backend reports a number.
 *
 * ```ts
 * const stats = await measureLatency(model, { batchSize: 1, warmup: 5, runs: 50 });
 * console.log(`${stats.medianMs.toFixed(2)} ms on ${stats.backend}`);
 * ```
 */
export async function measureLatency(model: tf.LayersModel, options: MeasureLatencyOptions): Promise<LatencyStats> {
  const { batchSize, warmup = 3, runs = 20 } = options;
  checkCount('batchSize', batchSize, 1);
  checkCount('warmup', warmup, 0);
  checkCount('runs', runs, 1);
  if (options.input !== undefined) {
    if (model.inputs.length !== 1) {
      throw inputError('BAD_LATENCY_OPTION', `measureLatency: model "${model.name}" has ${model.inputs.length} inputs; options.input gives one`, 'Leave options.input out to feed random inputs.');
    }
    if (options.input.shape[0] !== batchSize) {
      throw inputError('BAD_LATENCY_OPTION', `measureLatency: options.input has batch ${options.input.shape[0]} but batchSize is ${batchSize}`, 'Make them agree.');
    }
  }
  const owned = options.input === undefined ? defaultInputs(model, batchSize) : [];
  const feed: tf.Tensor | tf.Tensor[] = options.input ?? (owned.length === 1 ? (owned[0] as tf.Tensor) : owned);
  const predict = (): tf.Tensor[] => {
    const y = model.predict(feed);
    return Array.isArray(y) ? y : [y];
  };
  try {
    const once = async (): Promise<void> => {
      const outputs = predict();
      try {
        await Promise.all(outputs.map((t) => t.data()));
      } finally {
        tf.dispose(outputs);
      }
    };
    for (let i = 0; i < warmup; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await once();
      times.push(performance.now() - start);
    }
    const kernelTimes: number[] = [];
    for (let i = 0; i < Math.min(runs, 10); i++) {
      let outputs: tf.Tensor[] = [];
      const timing = await tf.time(() => {
        outputs = predict();
      });
      await Promise.all(outputs.map((t) => t.data()));
      tf.dispose(outputs);
      if (typeof timing.kernelMs === 'number') kernelTimes.push(timing.kernelMs);
    }
    times.sort((a, b) => a - b);
    kernelTimes.sort((a, b) => a - b);
    const stats: LatencyStats = {
      medianMs: quantile(times, 0.5),
      p10Ms: quantile(times, 0.1),
      p90Ms: quantile(times, 0.9),
      runs,
      warmup,
      batchSize,
      backend: tf.getBackend(),
    };
    if (kernelTimes.length > 0) stats.kernelMs = quantile(kernelTimes, 0.5);
    return stats;
  } finally {
    tf.dispose(owned);
  }
}
