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

/** Per-op times of every timed loop; kernel times where the backend reports them (`tf.time().kernelMs` is a number). */
export interface OpTimes {
  readonly wall: SampleStats;
  readonly kernel?: SampleStats;
  /** Ops run back to back per timed loop (K): every time is a loop's time divided by K. */
  readonly repeats: number;
}

/** How `timeOp` runs an op. */
export interface TimeOpOptions {
  /** Untimed single runs first, each with its read-back (shader compilation, allocator growth). */
  readonly warmup: number;
  /** Timed loops per clock. */
  readonly runs: number;
  /** K grows until one loop takes at least this long. Default 1. */
  readonly minLoopMs?: number;
  /** Upper bound of K. Default 1024. */
  readonly maxRepeats?: number;
  /** Also time `runs` loops under `tf.time` for the kernel clock. Default true. */
  readonly kernel?: boolean;
}

/** Runs `op` k times back to back (each output but the last disposed at once), then reads the last output back. */
async function loop(op: () => tf.Tensor, k: number): Promise<void> {
  let last: tf.Tensor | undefined;
  for (let i = 0; i < k; i++) {
    const y = op();
    if (i < k - 1) y.dispose();
    else last = y;
  }
  if (last !== undefined) {
    try {
      await last.data();
    } finally {
      last.dispose();
    }
  }
}

/**
 * Times `op` (which returns a new tensor) as the model runs it: many ops, one read-back at the end.
 * After `warmup` single runs, K grows from 1 until a loop of K runs and one read-back takes
 * `minLoopMs`; then `runs` loops are timed (wall clock), and, unless `kernel` is false, `runs`
 * more under `tf.time` (kernel clock). Each time is the loop's divided by K, so the read-back and the await that a lone op
 * would pay (tens of µs on wasm, more than a small ReLU or Add takes) are spread over K ops.
 * Every output is disposed.
 *
 * ```ts
 * const times = await timeOp(() => tf.relu(x), { warmup: 2, runs: 10 });
 * console.log(`${times.wall.median} ms per op, ${times.repeats} ops per loop`);
 * ```
 */
export async function timeOp(op: () => tf.Tensor, options: TimeOpOptions): Promise<OpTimes> {
  const minLoopMs = options.minLoopMs ?? 1;
  const maxRepeats = options.maxRepeats ?? 1024;
  for (let i = 0; i < options.warmup; i++) await loop(op, 1);
  // Grow K towards minLoopMs from the last loop's time (the read-back in it makes early guesses low, so a few steps).
  let repeats = 1;
  for (;;) {
    const start = performance.now();
    await loop(op, repeats);
    const elapsed = performance.now() - start;
    if (elapsed >= minLoopMs || repeats >= maxRepeats) break;
    const guess = elapsed > 0 ? Math.ceil((repeats * minLoopMs) / elapsed) : repeats * 8;
    repeats = Math.min(maxRepeats, Math.max(repeats + 1, guess));
  }
  const wall: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    await loop(op, repeats);
    wall.push((performance.now() - start) / repeats);
  }
  const kernel: number[] = [];
  for (let i = 0; i < (options.kernel === false ? 0 : options.runs); i++) {
    const out: { y?: tf.Tensor } = {};
    const timing = await tf.time(() => {
      for (let k = 0; k < repeats; k++) {
        const y = op();
        if (k < repeats - 1) y.dispose();
        else out.y = y;
      }
    });
    if (out.y !== undefined) {
      await out.y.data();
      out.y.dispose();
    }
    if (typeof timing.kernelMs === 'number') kernel.push(timing.kernelMs / repeats);
  }
  return kernel.length === 0 ? { wall: sampleStats(wall), repeats } : { wall: sampleStats(wall), kernel: sampleStats(kernel), repeats };
}
