import * as tf from '@tensorflow/tfjs';
import type { DatasetSplits } from '@whittle/kernel';

/**
 * Inputs to check an exported model on: the first `examples` of the run's evaluation split (test,
 * else validation) when the model has one input and there is data, else seeded uniform [0, 1)
 * noise of each input's shape (unknown dimensions but the batch: 1). The caller disposes them.
 *
 * ```ts
 * const inputs = checkInputs(model, call.ctx.data, 8, call.ctx.seed);
 * tf.dispose(inputs);
 * ```
 */
export function checkInputs(model: tf.LayersModel, data: DatasetSplits | undefined, examples: number, seed: number): { readonly inputs: tf.Tensor[]; readonly source: 'data' | 'random' } {
  const split = data === undefined ? undefined : (data.test ?? data.validation);
  if (split !== undefined && model.inputs.length === 1 && (split.x.shape[0] ?? 0) > 0) {
    const n = Math.min(examples, split.x.shape[0] as number);
    return { inputs: [tf.tidy(() => split.x.slice(0, n).toFloat())], source: 'data' };
  }
  const inputs = model.inputs.map((input, i) => tf.randomUniform(input.shape.map((d, axis) => (axis === 0 ? examples : (d ?? 1))), 0, 1, 'float32', seed + i));
  return { inputs, source: 'random' };
}
