import * as tf from '@tensorflow/tfjs';
import type { LabeledTensors } from '@whittle/kernel';
import { inputError } from '@whittle/kernel';

/**
 * Top-1 accuracy of a classifier on one-hot labelled data, predicted `batchSize` examples at a time
 * (so that big test sets fit in memory). Every intermediate tensor is freed.
 *
 * ```ts
 * const acc = evaluateAccuracy(model, splits.test ?? splits.validation, 256); // in [0, 1]
 * ```
 */
export function evaluateAccuracy(model: tf.LayersModel, data: LabeledTensors, batchSize = 256): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw inputError('BAD_BATCH_SIZE', `evaluateAccuracy: batchSize must be a positive integer, got ${batchSize}`, 'Pass e.g. 256.');
  }
  const n = data.x.shape[0];
  if (n === 0) throw inputError('EMPTY_DATA', 'evaluateAccuracy: the data has no examples', 'Check the split and its limits (testLimit, validationSplit).');
  if (data.y.shape[0] !== n) {
    throw inputError('LABEL_COUNT_MISMATCH', `evaluateAccuracy: ${n} images but ${data.y.shape[0]} labels`, 'Give x and y the same first dimension.');
  }
  const outputShape = model.outputs.length === 1 ? model.outputs[0]?.shape : undefined;
  if (outputShape === undefined || outputShape.length !== 2 || (outputShape[1] !== null && outputShape[1] !== data.y.shape[1])) {
    throw inputError(
      'MODEL_OUTPUT_MISMATCH',
      `evaluateAccuracy: model "${model.name}" outputs ${JSON.stringify(model.outputs.map((o) => o.shape))}, expected one [batch, ${data.y.shape[1]}] tensor of class scores`,
      'Evaluate a classifier whose last layer has one unit per class.',
    );
  }
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const hits = tf.tidy(() => {
      const scores = model.predict(data.x.slice(start, size)) as tf.Tensor;
      const truth = data.y.slice(start, size).argMax(-1);
      return scores.argMax(-1).equal(truth).sum();
    });
    correct += hits.dataSync()[0] ?? 0;
    hits.dispose();
  }
  return correct / n;
}
