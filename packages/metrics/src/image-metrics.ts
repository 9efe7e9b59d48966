import * as tf from '@tensorflow/tfjs';
import type { Examples } from '@whittle/kernel';
import { inputError } from '@whittle/kernel';

/** PSNR of an exact reconstruction: the squared error is floored here (1e-10 of the peak²), not divided by zero. */
const MIN_RELATIVE_MSE = 1e-10;

/** Checks that `data` pairs images with target images of the model's output shape; returns n. */
function checkPairs(who: string, model: tf.LayersModel, data: Examples, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw inputError('BAD_BATCH_SIZE', `${who}: batchSize must be a positive integer, got ${batchSize}`, 'Pass e.g. 64.');
  }
  const n = data.x.shape[0] ?? 0;
  if (n === 0) throw inputError('EMPTY_DATA', `${who}: the data has no examples`, 'Check the split and its limits (testLimit, validationSplit).');
  if (data.y === undefined || data.y.rank < 2 || data.y.shape[0] !== n) {
    throw inputError('TARGET_MISSING', `${who}: needs one target per input (image-to-image data), got ${data.y === undefined ? 'no targets' : `targets of shape ${JSON.stringify(data.y.shape)}`}`,
      'Measure it on an image-to-image dataset, whose y holds the target images.');
  }
  const out = model.outputs.length === 1 ? model.outputs[0]?.shape : undefined;
  const target = data.y.shape.slice(1);
  if (out === undefined || out.length !== target.length + 1 || out.slice(1).some((d, i) => d !== null && d !== target[i])) {
    throw inputError('MODEL_OUTPUT_MISMATCH', `${who}: model "${model.name}" outputs ${JSON.stringify(model.outputs.map((o) => o.shape))}, the targets are [batch, ${target.join(', ')}]`,
      'Give the model one output of the target images\' shape (e.g. a U-Net with outChannels = the target channels).');
  }
  return n;
}

/** Σ over the examples of `perExample(prediction, target)` (a [batch] vector), `batchSize` examples at a time. */
function sumOverExamples(model: tf.LayersModel, data: Examples, n: number, batchSize: number, perExample: (p: tf.Tensor, t: tf.Tensor) => tf.Tensor): number {
  let total = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const sum = tf.tidy(() => perExample(model.predict(data.x.slice(start, size)) as tf.Tensor, (data.y as tf.Tensor).slice(start, size)).sum());
    total += sum.dataSync()[0] ?? 0;
    sum.dispose();
  }
  return total;
}

/** Per-example mean over every axis but the first. */
function perExampleMean(t: tf.Tensor): tf.Tensor {
  return t.reshape([t.shape[0] ?? 0, -1]).mean(1);
}

/**
 * Mean absolute error between the model's output images and the target images (`data.y`),
 * averaged over pixels, channels and examples: the L1 distance image-to-image models train on.
 *
 * ```ts
 * const l1 = meanAbsoluteError(generator, splits.validation, 64); // 0 for a perfect model
 * ```
 */
export function meanAbsoluteError(model: tf.LayersModel, data: Examples, batchSize = 64): number {
  const n = checkPairs('meanAbsoluteError', model, data, batchSize);
  return sumOverExamples(model, data, n, batchSize, (p, t) => perExampleMean(p.sub(t).abs())) / n;
}

/**
 * Peak signal-to-noise ratio in dB of the model's output images against the targets, per image
 * (10·log10(peak² / MSE)) and averaged over the images, as image-restoration papers report it.
 * `peak` is the largest pixel value: 1 for data normalised to [0, 1] (the default `unit`).
 *
 * ```ts
 * const db = psnr(generator, splits.validation, 64); // higher is better
 * ```
 */
export function psnr(model: tf.LayersModel, data: Examples, batchSize = 64, peak = 1): number {
  const n = checkPairs('psnr', model, data, batchSize);
  const peakSq = peak * peak;
  return sumOverExamples(model, data, n, batchSize, (p, t) => tf.log(tf.div(peakSq, tf.maximum(perExampleMean(p.sub(t).square()), MIN_RELATIVE_MSE * peakSq))).mul(10 / Math.LN10)) / n;
}
