import * as tf from '@tensorflow/tfjs';
import type { DatasetSplits } from '@whittle/kernel';

/**
 * Inputs to compare a model's outputs on: the first `examples` of the run's evaluation split (test,
 * else validation) when the model has one input and there is data, else seeded uniform noise in
 * [0, 1) of each input's shape (unknown dimensions but the batch: 1). The caller disposes them.
 *
 * ```ts
 * const x = comparisonInputs(model, call.ctx.data, 32, call.ctx.seed);
 * ```
 */
export function comparisonInputs(model: tf.LayersModel, data: DatasetSplits | undefined, examples: number, seed: number): tf.Tensor[] {
  const split = data === undefined ? undefined : (data.test ?? data.validation);
  if (split !== undefined && model.inputs.length === 1 && split.x.shape[0]! > 0) {
    const n = Math.min(examples, split.x.shape[0]!);
    return [tf.tidy(() => split.x.slice(0, n))];
  }
  return model.inputs.map((input, i) => {
    const shape = input.shape.map((d, axis) => (axis === 0 ? examples : (d ?? 1)));
    return tf.randomUniform(shape, 0, 1, 'float32', seed + i);
  });
}
