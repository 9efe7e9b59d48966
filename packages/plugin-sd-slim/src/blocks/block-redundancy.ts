import * as tf from '@tensorflow/tfjs';
import { bypassBlock, type BlockBounds } from '@whittle/graph';
import type { SeededRng } from '@whittle/kernel';
import type { NoiseSchedule } from '../diffusion/noise-schedule.js';

/** One block's row of the redundancy table. */
export interface BlockRedundancy {
  readonly block: BlockBounds;
  /** Mean over the sampled timesteps of ‖ε_full − ε_bypassed‖² / ‖ε_full‖². */
  readonly deviation: number;
  /** Median batch-1 U-Net latency saved by bypassing it (full − bypassed), ms; may be ≤ 0 within noise. */
  readonly savedMs: number;
  /** Parameters removed with it. */
  readonly savedParams: number;
  /** Ranking score: deviation per millisecond saved (savedMs floored at `minSavedMs`); lower = more redundant. */
  readonly deviationPerMs: number;
}

/** Options of `blockRedundancy`. */
export interface BlockRedundancyOptions {
  readonly schedule: NoiseSchedule;
  /** Clean images x₀ in [−1, 1] and their one-hot labels, the examples the deviation is measured on. */
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor2D;
  /** Timesteps sampled (uniformly, from `rng`) per image. */
  readonly timesteps: number;
  readonly rng: SeededRng;
  /** Timed batch-1 runs per model (median). */
  readonly latencyRuns: number;
  /** Floor of the saved latency in the ratio, so a block that saves ~0 ms ranks last, not at ±∞. Default 0.01 ms. */
  readonly minSavedMs?: number;
}

/** Median wall time of `model.predict(inputs)` with read-back, after two untimed runs. */
async function medianPredictMs(model: tf.LayersModel, inputs: readonly tf.Tensor[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const out = model.predict([...inputs]) as tf.Tensor;
    await out.data();
    out.dispose();
    if (i >= 2) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * A-SDM's redundancy analysis: bypass each block in turn (graph surgery) and measure, over sampled
 * timesteps, how far the predicted noise moves and how much batch-1 latency the block costs;
 * rows sorted by deviation per ms saved, most redundant first.
 *
 * ```ts
 * const rows = await blockRedundancy(unet, residualBlocks(unet), { schedule, images, labels, timesteps: 4, rng, latencyRuns: 10 });
 * ```
 */
export async function blockRedundancy(model: tf.LayersModel, blocks: readonly BlockBounds[], options: BlockRedundancyOptions): Promise<BlockRedundancy[]> {
  const { schedule, images, labels, rng } = options;
  const n = images.shape[0];
  const steps = Array.from({ length: n * options.timesteps }, () => rng.int(schedule.steps));
  const noiseSeed = rng.int32();
  const inputs = tf.tidy(() => {
    const x0 = tf.concat(Array.from({ length: options.timesteps }, () => images), 0);
    const noise = tf.randomNormal(x0.shape, 0, 1, 'float32', noiseSeed);
    const a = tf.tensor4d(steps.map((t) => Math.sqrt(schedule.alphaBarAt(t))), [steps.length, 1, 1, 1]);
    const s = tf.tensor4d(steps.map((t) => Math.sqrt(1 - schedule.alphaBarAt(t))), [steps.length, 1, 1, 1]);
    return [tf.add(tf.mul(a, x0), tf.mul(s, noise)), tf.tensor2d(steps, [steps.length, 1]), tf.concat(Array.from({ length: options.timesteps }, () => labels), 0)];
  });
  const single = inputs.map((t) => tf.slice(t, 0, 1));
  try {
    const reference = model.predict(inputs) as tf.Tensor;
    const referenceEnergy = tf.tidy(() => tf.sum(tf.square(reference)).dataSync()[0] as number);
    const fullMs = await medianPredictMs(model, single, options.latencyRuns);
    const rows: BlockRedundancy[] = [];
    for (const block of blocks) {
      const slim = await bypassBlock(model, block);
      try {
        const deviation = tf.tidy(() => tf.sum(tf.square(tf.sub(slim.predict(inputs) as tf.Tensor, reference))).dataSync()[0] as number) / referenceEnergy;
        const savedMs = fullMs - await medianPredictMs(slim, single, options.latencyRuns);
        rows.push({ block, deviation, savedMs, savedParams: model.countParams() - slim.countParams(), deviationPerMs: deviation / Math.max(savedMs, options.minSavedMs ?? 0.01) });
      } finally {
        slim.dispose();
      }
    }
    reference.dispose();
    return rows.sort((a, b) => a.deviationPerMs - b.deviationPerMs);
  } finally {
    tf.dispose([...inputs, ...single]);
  }
}
