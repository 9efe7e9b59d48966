import * as tf from '@tensorflow/tfjs';
import type { NoiseSchedule } from './noise-schedule.js';

/** Options of `ddimSample`. */
export interface DdimOptions {
  /** Sampling steps (≤ T). */
  readonly steps: number;
  /** Seed of the initial noise x_T: the same seed gives the same samples. */
  readonly seed: number;
  /** Classifier-free guidance scale w: ε = ε_∅ + w·(ε_y − ε_∅); 1 (default) = plain conditional. */
  readonly guidance?: number;
  /** Clip the predicted x̂₀ to [−1, 1] (default true). */
  readonly clip?: boolean;
}

/**
 * Deterministic DDIM sampling (η = 0, Song et al. 2021) of images for one-hot `labels` [n, classes]:
 * x_T ~ N(0, I) from `seed`; at each step x̂₀ = (x_t − √(1−ᾱ_t)·ε)/√ᾱ_t and
 * x_{t'} = √ᾱ_{t'}·x̂₀ + √(1−ᾱ_{t'})·ε. Returns x₀ [n, H, W, C] in [−1, 1].
 *
 * ```ts
 * const images = ddimSample(unet, schedule, tf.oneHot([0, 1], 10), [16, 16, 1], { steps: 20, seed: 7 });
 * ```
 */
export function ddimSample(model: tf.LayersModel, schedule: NoiseSchedule, labels: tf.Tensor2D, imageShape: readonly [number, number, number], options: DdimOptions): tf.Tensor4D {
  const n = labels.shape[0];
  const guidance = options.guidance ?? 1;
  const clip = options.clip ?? true;
  const timesteps = schedule.ddimTimesteps(options.steps);
  let x = tf.randomNormal([n, ...imageShape], 0, 1, 'float32', options.seed) as tf.Tensor4D;
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i] as number;
    const previous = i + 1 < timesteps.length ? (timesteps[i + 1] as number) : -1;
    const next = tf.tidy(() => {
      const tTensor = tf.fill([n, 1], t);
      const predict = (y: tf.Tensor2D) => model.predict([x, tTensor, y]) as tf.Tensor4D;
      let eps = predict(labels);
      if (guidance !== 1) {
        const unconditional = predict(tf.zerosLike(labels));
        eps = tf.add(unconditional, tf.mul(guidance, tf.sub(eps, unconditional)));
      }
      const a = schedule.alphaBarAt(t);
      const aPrev = schedule.alphaBarAt(previous);
      let x0 = tf.div(tf.sub(x, tf.mul(Math.sqrt(1 - a), eps)), Math.sqrt(a));
      if (clip) x0 = tf.clipByValue(x0, -1, 1);
      return tf.add(tf.mul(Math.sqrt(aPrev), x0), tf.mul(Math.sqrt(1 - aPrev), eps)) as tf.Tensor4D;
    });
    x.dispose();
    x = next;
  }
  return x;
}
