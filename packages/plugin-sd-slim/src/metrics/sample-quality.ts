import * as tf from '@tensorflow/tfjs';
import { featureGaussian, frechetDistance, type FrechetFeatureExtractor } from '@whittle/metrics';
import type { NoiseSchedule } from '../diffusion/noise-schedule.js';
import { toUnitPixels } from '../data/diffusion-images.js';
import { sampleClasses, sampleClassAccuracy } from '../sampling/class-samples.js';
import { unetShapes } from './unet-latency.js';

/** Class accuracy and Fréchet distance of one set of class-conditional samples. */
export interface SampleQuality {
  /** Fraction of samples the classifier assigns to the class they were sampled for. */
  readonly classAccuracy: number;
  /** Fréchet distance between the classifier features of the samples and of the reference images. */
  readonly frechet: number;
  readonly samples: number;
}

/** Options of `measureSampleQuality`. */
export interface SampleQualityOptions {
  readonly perClass: number;
  readonly steps: number;
  readonly seed: number;
  readonly guidance?: number;
}

/**
 * Samples `perClass` images of every class with DDIM (seeded x_T, so every model gets the same
 * noise) and measures them against `reference` (x₀ images in [−1, 1], e.g. the test split): the
 * class accuracy under the Fashion-MNIST classifier and the Fréchet distance of its features.
 *
 * ```ts
 * const q = measureSampleQuality(unet, schedule, extractor, testImages, { perClass: 50, steps: 20, seed: 1 });
 * ```
 */
export function measureSampleQuality(model: tf.LayersModel, schedule: NoiseSchedule, extractor: FrechetFeatureExtractor, reference: tf.Tensor4D, options: SampleQualityOptions): SampleQuality {
  const { image, classes } = unetShapes(model);
  const { images, labels } = sampleClasses(model, schedule, image, { classes, ...options });
  const pixels = toUnitPixels(reference);
  try {
    const classAccuracy = sampleClassAccuracy(extractor, images, labels);
    const frechet = frechetDistance(featureGaussian(extractor.featuresOf(images), extractor.dims), featureGaussian(extractor.featuresOf(pixels), extractor.dims));
    return { classAccuracy, frechet, samples: labels.length };
  } finally {
    tf.dispose([images, pixels]);
  }
}
