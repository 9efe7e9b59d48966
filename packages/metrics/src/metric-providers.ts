import { layerOperationsOf, totalMacs } from '@whittle/graph';
import type { LabeledTensors } from '@whittle/kernel';
import { inputError } from '@whittle/kernel';
import type { MetricProvider } from '@whittle/kernel';
import { countParams } from './count-params.js';
import { evaluateAccuracy } from './evaluate-accuracy.js';
import { FrechetFeatureExtractor } from './frechet-classifier.js';
import { meanAbsoluteError, psnr } from './image-metrics.js';
import { bandErrors, defaultBandLevels, meanSsim, predictAll, targetImages } from './image-quality.js';

/** `params`: scalar weights of the model (see `countParams`). Every model summary has it. */
export const paramsMetric: MetricProvider = {
  name: 'params', description: 'Scalar weights, trainable or not.', needsData: false, better: 'lower',
  measure: (model) => countParams(model),
};

/** `macs`: multiply–accumulates for one example (`totalMacs` of @whittle/graph's layer operations, the run's custom layers included). Every model summary has it. */
export const macsMetric: MetricProvider = {
  name: 'macs', description: 'Multiply–accumulates for one example.', needsData: false, better: 'lower',
  measure: (model, { layers }) => totalMacs(model, layers === undefined ? undefined : layerOperationsOf(layers)),
};

function required<T>(who: string, data: T | undefined): T {
  if (data === undefined) throw inputError('DATA_MISSING', `metric "${who}" is measured on data, but none was given`, 'Add a "data" block to the pipeline.');
  return data;
}

/** `accuracy`: top-1 accuracy of a classifier on one-hot labels (see `evaluateAccuracy`). */
export const accuracyMetric: MetricProvider = {
  name: 'accuracy', description: 'Top-1 accuracy on one-hot labels.', needsData: true, better: 'higher',
  measure: (model, { data, batchSize }) => evaluateAccuracy(model, required('accuracy', data) as LabeledTensors, batchSize),
};

/** `l1`: mean absolute error of output images against target images (see `meanAbsoluteError`). */
export const l1Metric: MetricProvider = {
  name: 'l1', description: 'Mean absolute error of the output images against the targets.', needsData: true, better: 'lower',
  measure: (model, { data, batchSize }) => meanAbsoluteError(model, required('l1', data), batchSize),
};

/** `psnr`: peak signal-to-noise ratio (dB) of output images against target images in [0, 1] (see `psnr`). */
export const psnrMetric: MetricProvider = {
  name: 'psnr', description: 'Peak signal-to-noise ratio (dB, peak 1) of the output images against the targets.', needsData: true, better: 'higher',
  measure: (model, { data, batchSize }) => psnr(model, required('psnr', data), batchSize),
};

/** `ssim`: mean structural similarity (11×11 Gaussian window) of output images against targets in [0, 1] (see `ssimPerImage`). */
export const ssimMetric: MetricProvider = {
  name: 'ssim', description: 'Mean SSIM (Gaussian window 11, σ 1.5, peak 1) of the output images against the targets.', needsData: true, better: 'higher',
  measure: (model, { data, batchSize }) => {
    const targets = targetImages('ssim', required('ssim', data));
    const generated = predictAll(model, required('ssim', data).x, batchSize);
    try {
      return meanSsim(generated, targets);
    } finally {
      generated.dispose();
    }
  },
};

/** `band-l1-high`: L1 error of the Haar detail bands (LH, HL, HH; up to 3 levels) of the outputs against the targets' (see `bandErrors`). */
export const bandL1HighMetric: MetricProvider = {
  name: 'band-l1-high', description: 'L1 error of the Haar high-frequency bands (LH/HL/HH, mean over ≤ 3 levels) of the outputs against the targets.', needsData: true, better: 'lower',
  measure: (model, { data, batchSize }) => {
    const targets = targetImages('band-l1-high', required('band-l1-high', data));
    const generated = predictAll(model, required('band-l1-high', data).x, batchSize);
    try {
      return bandErrors(generated, targets, defaultBandLevels(targets.shape[1], targets.shape[2])).high;
    } finally {
      generated.dispose();
    }
  },
};

let extractor: Promise<FrechetFeatureExtractor> | undefined;

/** `frechet-fmnist`: Fréchet distance between the features of the outputs and of the targets under the committed Fashion-MNIST classifier (a small-scale FID analogue, not FID). */
export const frechetFmnistMetric: MetricProvider = {
  name: 'frechet-fmnist', description: 'Fréchet distance of output and target images in the features of a committed Fashion-MNIST classifier (small-scale FID analogue, not FID).', needsData: true, better: 'lower',
  measure: async (model, { data, batchSize }) => {
    const targets = targetImages('frechet-fmnist', required('frechet-fmnist', data));
    extractor ??= FrechetFeatureExtractor.load();
    const features = await extractor;
    const generated = predictAll(model, required('frechet-fmnist', data).x, batchSize);
    try {
      return features.distance(generated, targets);
    } finally {
      generated.dispose();
    }
  },
};

/**
 * Every metric provider Whittle ships: `params`, `macs`, `accuracy`, `l1`, `psnr`, `ssim`, `band-l1-high`, `frechet-fmnist`.
 *
 * ```ts
 * const accuracy = builtinMetricProviders.find((m) => m.name === 'accuracy')!;
 * ```
 */
export const builtinMetricProviders: readonly MetricProvider[] = [paramsMetric, macsMetric, accuracyMetric, l1Metric, psnrMetric, ssimMetric, bandL1HighMetric, frechetFmnistMetric];
