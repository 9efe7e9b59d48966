import * as tf from '@tensorflow/tfjs';
import { ddimSample } from '../diffusion/ddim-sampler.js';
import type { NoiseSchedule } from '../diffusion/noise-schedule.js';

/** [H, W, C] of a U-Net's image input and its class count (from the model's inputs). */
export function unetShapes(model: tf.LayersModel): { image: [number, number, number]; classes: number } {
  const [image, , label] = model.inputs;
  const [, h, w, c] = image?.shape ?? [];
  const classes = label?.shape[1];
  if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number' || typeof classes !== 'number' || model.inputs.length !== 3) {
    throw new Error(`model "${model.name}" is not a class-conditional diffusion U-Net (inputs image [H, W, C], timestep [1], one-hot class)`);
  }
  return { image: [h, w, c], classes };
}

/** Seeded inputs of one U-Net call at batch `batch` (noise, t = 500, class i mod classes). */
export function unetCallInputs(model: tf.LayersModel, batch: number): tf.Tensor[] {
  const { image, classes } = unetShapes(model);
  return tf.tidy(() => [
    tf.randomNormal([batch, ...image], 0, 1, 'float32', 3),
    tf.fill([batch, 1], 500),
    tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32'), classes).toFloat(),
  ]);
}

/**
 * One timed `model.predict(inputs)` with its output read back, ms.
 *
 * ```ts
 * const ms = await timedUnetCall(unet, unetCallInputs(unet, 1));
 * ```
 */
export async function timedUnetCall(model: tf.LayersModel, inputs: readonly tf.Tensor[]): Promise<number> {
  const start = performance.now();
  const out = model.predict([...inputs]) as tf.Tensor;
  await out.data();
  out.dispose();
  return performance.now() - start;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/**
 * Median wall time (ms) of one U-Net call at `batch`, output read back, after `warmup` untimed calls.
 *
 * ```ts
 * const ms = await unetLatencyMs(unet, 16, { runs: 20 });
 * ```
 */
export async function unetLatencyMs(model: tf.LayersModel, batch: number, options: { readonly runs: number; readonly warmup?: number }): Promise<number> {
  const inputs = unetCallInputs(model, batch);
  try {
    const times: number[] = [];
    for (let i = 0; i < options.runs + (options.warmup ?? 2); i++) {
      const start = performance.now();
      const out = model.predict(inputs) as tf.Tensor;
      await out.data();
      out.dispose();
      if (i >= (options.warmup ?? 2)) times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    tf.dispose(inputs);
  }
}

/**
 * Median wall time (ms) of sampling `batch` images end to end with `steps` DDIM steps (x_T to x₀, read back).
 *
 * ```ts
 * const ms = await samplingMs(unet, schedule, { steps: 20, batch: 1, runs: 3 });
 * ```
 */
export async function samplingMs(model: tf.LayersModel, schedule: NoiseSchedule, options: { readonly steps: number; readonly batch: number; readonly runs: number }): Promise<number> {
  const { image, classes } = unetShapes(model);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: options.batch }, (_, i) => i % classes), 'int32'), classes).toFloat() as tf.Tensor2D);
  try {
    const times: number[] = [];
    for (let i = 0; i < options.runs + 1; i++) {
      const start = performance.now();
      const x = ddimSample(model, schedule, labels, image, { steps: options.steps, seed: 1 });
      await x.data();
      x.dispose();
      if (i >= 1) times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    labels.dispose();
  }
}
