import * as tf from '@tensorflow/tfjs';
import { bypassBlock, type BlockBounds } from '@whittle/graph';
import type { SeededRng } from '@whittle/kernel';
import { roundRobinLowest } from '@whittle/metrics';
import type { NoiseSchedule } from '../diffusion/noise-schedule.js';
import { timedUnetCall } from '../metrics/unet-latency.js';

/** One block's row of the redundancy table. */
export interface BlockRedundancy {
  readonly block: BlockBounds;
  /** Mean over the sampled timesteps of ‖ε_full − ε_bypassed‖² / ‖ε_full‖². */
  readonly deviation: number;
  /**
   * How far bypassing moves what the class adds to the prediction, the classifier-free guidance
   * direction g = ε(x, t, y) − ε(x, t, ∅): ‖g_full − g_bypassed‖² / ‖g_full‖² (0 when the model ignores its class).
   */
  readonly conditionDeviation: number;
  /** Median batch-1 U-Net latency saved by bypassing it (full − bypassed, measured alternately), ms; may be ≤ 0 within noise. */
  readonly savedMs: number;
  /** Parameters removed with it. */
  readonly savedParams: number;
  /** Ranking score: (deviation + conditionWeight · conditionDeviation) per millisecond saved (savedMs floored at `minSavedMs`); lower = more redundant. */
  readonly scorePerMs: number;
  /** Batch-1 latency of the whole model, ms (its lowest round-robin window). */
  readonly fullMs: number;
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
  /** Timed batch-1 calls per model in each latency window (median). */
  readonly latencyRuns: number;
  /** Round-robin latency windows over the full model and every bypassed one; each model's lowest window counts. Default 3. */
  readonly latencyWindows?: number;
  /**
   * Weight of `conditionDeviation` in the ranking score. Default 1; 0 ranks by the ε deviation alone,
   * A-SDM's criterion. Why it exists: in a class- or text-conditioned U-Net the condition's share of ε
   * is small, so the plain deviation calls cross-attention the most redundant block of all — removing it
   * removes the conditioning (bench/sd-slim/results.md, 2026-12-04: 3 of 4 cross-attention blocks removed,
   * class accuracy of samples −8 points while ε-MSE moved 2 %).
   */
  readonly conditionWeight?: number;
  /** Floor of the saved latency in the ratio, so a block that saves ~0 ms ranks last, not at ±∞. Default 0.01 ms. */
  readonly minSavedMs?: number;
}

/**
 * A-SDM's redundancy analysis: bypass each block in turn (graph surgery) and measure, over sampled
 * timesteps, how far the predicted noise moves, how far the class's contribution to it moves
 * (`conditionDeviation`, with the all-zeros "empty prompt" as the unconditional input), and how much
 * batch-1 latency the block costs; rows sorted by score per ms saved, most redundant first.
 *
 * ```ts
 * const rows = await blockRedundancy(unet, residualBlocks(unet), { schedule, images, labels, timesteps: 4, rng, latencyRuns: 10, latencyWindows: 3 });
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
  const unconditional = [inputs[0] as tf.Tensor, inputs[1] as tf.Tensor, tf.zerosLike(inputs[2] as tf.Tensor)];
  // ε with the class and the guidance direction g = ε_y − ε_∅ of a model.
  const predictions = (m: tf.LayersModel): [tf.Tensor, tf.Tensor] => tf.tidy(() => {
    const eps = m.predict(inputs) as tf.Tensor;
    return [eps, tf.sub(eps, m.predict(unconditional) as tf.Tensor)];
  });
  const sumSquares = (t: tf.Tensor): number => tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0] as number);
  const reference = predictions(model);
  try {
    const [referenceEnergy, guidanceEnergy] = reference.map(sumSquares) as [number, number];
    const measured: { block: BlockBounds; deviation: number; conditionDeviation: number; savedMs: number; savedParams: number; fullMs: number }[] = [];
    const slims: tf.LayersModel[] = [];
    try {
      const deviations: { deviation: number; conditionDeviation: number }[] = [];
      for (const block of blocks) {
        const slim = await bypassBlock(model, block);
        slims.push(slim);
        const bypassed = predictions(slim);
        const [eps, guidance] = bypassed.map((t, i) => tf.tidy(() => sumSquares(tf.sub(t, reference[i] as tf.Tensor)))) as [number, number];
        tf.dispose(bypassed);
        deviations.push({ deviation: eps / referenceEnergy, conditionDeviation: guidanceEnergy > 0 ? guidance / guidanceEnergy : 0 });
      }
      // Latency: the full model and every bypassed one in round-robin windows (two untimed calls each first).
      const all = [model, ...slims];
      for (const m of all) for (let i = 0; i < 2; i++) await timedUnetCall(m, single);
      const [fullMs, ...slimMs] = await roundRobinLowest(all.length, { windows: options.latencyWindows ?? 3, runs: options.latencyRuns }, (i) => timedUnetCall(all[i] as tf.LayersModel, single)) as [number, ...number[]];
      measured.push(...blocks.map((block, i) => ({ block, ...deviations[i] as { deviation: number; conditionDeviation: number }, savedMs: fullMs - (slimMs[i] as number), savedParams: model.countParams() - (slims[i] as tf.LayersModel).countParams(), fullMs })));
    } finally {
      slims.forEach((m) => m.dispose());
    }
    const weight = options.conditionWeight ?? 1;
    const rows: BlockRedundancy[] = measured.map((m) => ({ ...m, scorePerMs: (m.deviation + weight * m.conditionDeviation) / Math.max(m.savedMs, options.minSavedMs ?? 0.01) }));
    return rows.sort((a, b) => a.scorePerMs - b.scorePerMs);
  } finally {
    tf.dispose([...inputs, ...single, unconditional[2] as tf.Tensor, ...reference]);
  }
}
