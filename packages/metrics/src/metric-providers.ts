import { layerOperationsOf, totalMacs } from '@whittle/graph';
import type { LabeledTensors } from '@whittle/kernel';
import { inputError } from '@whittle/kernel';
import type { MetricProvider } from '@whittle/kernel';
import { countParams } from './count-params.js';
import { evaluateAccuracy } from './evaluate-accuracy.js';
import { meanAbsoluteError, psnr } from './image-metrics.js';

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

/**
 * Every metric provider Whittle ships: `params`, `macs`, `accuracy`, `l1`, `psnr`.
 *
 * ```ts
 * const accuracy = builtinMetricProviders.find((m) => m.name === 'accuracy')!;
 * ```
 */
export const builtinMetricProviders: readonly MetricProvider[] = [paramsMetric, macsMetric, accuracyMetric, l1Metric, psnrMetric];
