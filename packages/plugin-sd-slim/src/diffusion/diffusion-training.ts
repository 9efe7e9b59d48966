import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from '@whittle/kernel';
import type { NoiseSchedule } from './noise-schedule.js';

/** One ε-prediction training example batch: noisy images, their timesteps, labels (possibly dropped) and the noise to predict. */
export interface NoisedBatch {
  readonly noisy: tf.Tensor4D;
  readonly timesteps: tf.Tensor2D;
  readonly labels: tf.Tensor2D;
  readonly noise: tf.Tensor4D;
  dispose(): void;
}

/**
 * q(x_t | x₀) for a batch: t uniform in 0…T−1 per example, ε ~ N(0, I) (seeded),
 * x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε; labels are zeroed (the unconditional "empty prompt") with
 * probability `labelDropout`, for classifier-free guidance. x₀ in [−1, 1].
 *
 * ```ts
 * const batch = noiseBatch(x0, y, schedule, rng, 0.1);
 * ```
 */
export function noiseBatch(x0: tf.Tensor4D, labels: tf.Tensor2D, schedule: NoiseSchedule, rng: SeededRng, labelDropout = 0): NoisedBatch {
  const n = x0.shape[0];
  const steps = Array.from({ length: n }, () => rng.int(schedule.steps));
  const keep = Array.from({ length: n }, () => (rng.next() < labelDropout ? 0 : 1));
  const tensors = tf.tidy(() => {
    const noise = tf.randomNormal(x0.shape, 0, 1, 'float32', rng.int32()) as tf.Tensor4D;
    const a = tf.tensor4d(steps.map((t) => Math.sqrt(schedule.alphaBarAt(t))), [n, 1, 1, 1]);
    const s = tf.tensor4d(steps.map((t) => Math.sqrt(1 - schedule.alphaBarAt(t))), [n, 1, 1, 1]);
    return {
      noisy: tf.add(tf.mul(a, x0), tf.mul(s, noise)) as tf.Tensor4D,
      timesteps: tf.tensor2d(steps, [n, 1]),
      labels: tf.mul(labels, tf.tensor2d(keep, [n, 1])) as tf.Tensor2D,
      noise,
    };
  });
  return { ...tensors, dispose: () => tf.dispose([tensors.noisy, tensors.timesteps, tensors.labels, tensors.noise]) };
}

/** The variables of a model's trainable weights, in the model's layer order (stable across save/load, so optimizer state checkpoints line up). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * One DDPM training step: the ε-prediction MSE `‖ε − ε_θ(x_t, t, y)‖²` minimised by `optimizer`
 * over `variables` (default: all of the model's trainable ones, in layer order). Returns the loss.
 *
 * ```ts
 * const loss = diffusionTrainStep(unet, tf.train.adam(2e-4), x0, y, schedule, rng, 0.1);
 * ```
 */
export function diffusionTrainStep(model: tf.LayersModel, optimizer: tf.Optimizer, x0: tf.Tensor4D, labels: tf.Tensor2D, schedule: NoiseSchedule, rng: SeededRng, labelDropout = 0, variables: tf.Variable[] = trainableVariables(model)): number {
  const batch = noiseBatch(x0, labels, schedule, rng, labelDropout);
  try {
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(batch.noise, model.apply([batch.noisy, batch.timesteps, batch.labels], { training: true }) as tf.Tensor) as tf.Scalar, true, variables);
    if (loss === null) throw new Error('diffusionTrainStep: the optimizer returned no loss');
    const value = loss.dataSync()[0] as number;
    loss.dispose();
    return value;
  } finally {
    batch.dispose();
  }
}

/**
 * The model's ε-prediction MSE on held-out images, `rounds` seeded draws of (t, ε) per image, in
 * batches of `batchSize` (inference mode, labels kept): the same noised inputs for every model
 * given the same `rng` seed, so two U-Nets compare on equal terms. Lower is better. If a batch
 * fails, its tensors are freed before the error propagates.
 *
 * ```ts
 * const mse = await noisePredictionMse(unet, x0, y, schedule, SeededRng.from(1, 'eval'), { rounds: 2 });
 * ```
 */
export async function noisePredictionMse(model: tf.LayersModel, x0: tf.Tensor4D, labels: tf.Tensor2D, schedule: NoiseSchedule, rng: SeededRng, options: { readonly rounds?: number; readonly batchSize?: number } = {}): Promise<number> {
  const n = x0.shape[0];
  const batchSize = options.batchSize ?? 64;
  let sum = 0;
  let count = 0;
  for (let round = 0; round < (options.rounds ?? 1); round++) {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const [x, y] = tf.tidy(() => [x0.slice(start, size), labels.slice(start, size)] as [tf.Tensor4D, tf.Tensor2D]);
      const batch = noiseBatch(x, y, schedule, rng);
      tf.dispose([x, y]);
      try {
        const squared = tf.tidy(() => tf.sum(tf.square(tf.sub(model.predict([batch.noisy, batch.timesteps, batch.labels]) as tf.Tensor, batch.noise))));
        try {
          sum += (await squared.data())[0] as number; // read back asynchronously: webgpu in Node has no dataSync
        } finally {
          squared.dispose();
        }
        count += batch.noise.size;
      } finally {
        batch.dispose();
      }
    }
  }
  return sum / count;
}
