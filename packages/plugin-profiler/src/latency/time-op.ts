import * as tf from '@tensorflow/tfjs';

/** Median and 10th/90th percentiles of a sample. */
export interface SampleStats {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

/** Linear interpolation between order statistics (numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = sorted[Math.floor(pos)] ?? Number.NaN;
  const hi = sorted[Math.ceil(pos)] ?? Number.NaN;
  return lo + (hi - lo) * (pos - Math.floor(pos));
}

/**
 * Median, p10 and p90 of a non-empty sample.
 *
 * ```ts
 * sampleStats([3, 1, 2]); // { median: 2, p10: 1.2, p90: 2.8 }
 * ```
 */
export function sampleStats(values: readonly number[]): SampleStats {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9) };
}

/** Wall times of every run; kernel times where the backend reports them (`tf.time().kernelMs` is a number). */
export interface OpTimes {
  readonly wall: SampleStats;
  readonly kernel?: SampleStats;
}

/**
 * Times `op` (which returns a new tensor): `warmup` untimed runs (shader compilation, allocator
 * growth), then `runs` timed ones, each including the read-back of the output, then `runs` more
 * under `tf.time` for the kernel clock. Every output is disposed.
 *
 * ```ts
 * const times = await timeOp(() => tf.conv2d(x, w, 1, 'same'), { warmup: 2, runs: 10 });
 * ```
 */
export async function timeOp(op: () => tf.Tensor, options: { warmup: number; runs: number }): Promise<OpTimes> {
  const once = async (): Promise<void> => {
    const y = op();
    try {
      await y.data();
    } finally {
      y.dispose();
    }
  };
  for (let i = 0; i < options.warmup; i++) await once();
  const wall: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    await once();
    wall.push(performance.now() - start);
  }
  const kernel: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const out: { y?: tf.Tensor } = {};
    const timing = await tf.time(() => {
      out.y = op();
    });
    if (out.y !== undefined) {
      await out.y.data();
      out.y.dispose();
    }
    if (typeof timing.kernelMs === 'number') kernel.push(timing.kernelMs);
  }
  return kernel.length === 0 ? { wall: sampleStats(wall) } : { wall: sampleStats(wall), kernel: sampleStats(kernel) };
}
