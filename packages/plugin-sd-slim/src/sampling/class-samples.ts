import * as tf from '@tensorflow/tfjs';
import type { FrechetFeatureExtractor } from '@whittle/metrics';
import { ddimSample } from '../diffusion/ddim-sampler.js';
import type { NoiseSchedule } from '../diffusion/noise-schedule.js';
import { toUnitPixels } from '../data/diffusion-images.js';

/** Options of `sampleClasses`. */
export interface ClassSamplesOptions {
  readonly classes: number;
  /** Samples per class. */
  readonly perClass: number;
  /** DDIM steps. */
  readonly steps: number;
  /** Seed of x_T: the same seed gives the same noise for every model, so samples compare image by image. */
  readonly seed: number;
  /** Classifier-free guidance scale (1 = plain conditional). */
  readonly guidance?: number;
  /** Images sampled per DDIM call (memory bound); default 100. */
  readonly batchSize?: number;
}

/**
 * DDIM samples of every class, class-major (`perClass` of class 0, then of class 1, …), pixels in
 * [0, 1]; with the labels. Each chunk of `batchSize` uses its own seed `seed + chunk`, so the same
 * options give the same x_T for any model.
 *
 * ```ts
 * const { images, labels } = sampleClasses(unet, schedule, [16, 16, 1], { classes: 10, perClass: 10, steps: 20, seed: 1 });
 * ```
 */
export function sampleClasses(model: tf.LayersModel, schedule: NoiseSchedule, imageShape: readonly [number, number, number], options: ClassSamplesOptions): { images: tf.Tensor4D; labels: Int32Array } {
  const labels = Int32Array.from({ length: options.classes * options.perClass }, (_, i) => Math.floor(i / options.perClass));
  const batch = options.batchSize ?? 100;
  const chunks: tf.Tensor4D[] = [];
  try {
    for (let start = 0, chunk = 0; start < labels.length; start += batch, chunk++) {
      const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(labels.subarray(start, Math.min(start + batch, labels.length)), 'int32'), options.classes).toFloat() as tf.Tensor2D);
      const x0 = ddimSample(model, schedule, oneHot, imageShape, { steps: options.steps, seed: options.seed + chunk, ...(options.guidance === undefined ? {} : { guidance: options.guidance }) });
      chunks.push(toUnitPixels(x0));
      tf.dispose([oneHot, x0]);
    }
    return { images: chunks.length === 1 ? (chunks.pop() as tf.Tensor4D) : tf.concat(chunks, 0), labels };
  } finally {
    tf.dispose(chunks);
  }
}

/**
 * Class accuracy of samples: the fraction the Fashion-MNIST classifier assigns to the class they
 * were sampled for ("does a sample of class c look like c?"). Images in [0, 1].
 *
 * ```ts
 * const accuracy = sampleClassAccuracy(extractor, images, labels);
 * ```
 */
export function sampleClassAccuracy(extractor: FrechetFeatureExtractor, images: tf.Tensor4D, labels: Int32Array): number {
  const predicted = extractor.classify(images);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return hits / labels.length;
}
