import * as tf from '@tensorflow/tfjs';

/**
 * Whether a classifier's output is a probability distribution: its output layer applies softmax
 * (a `Dense`/`Conv` with `activation: 'softmax'`, an `Activation('softmax')` or a `Softmax` layer).
 *
 * ```ts
 * const x = tf.input({ shape: [4] });
 * outputsProbabilities(tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x) as tf.SymbolicTensor })); // true
 * ```
 */
export function outputsProbabilities(model: tf.LayersModel): boolean {
  const layer = model.outputs[0]?.sourceLayer;
  if (layer === undefined) return false;
  return layer.getClassName() === 'Softmax' || layer.getConfig()['activation'] === 'softmax';
}

/**
 * Logits of a classifier's output: log-probabilities for a softmax output (they differ from the
 * pre-softmax logits by a per-row constant, which softmax and cross-entropy ignore), the output
 * itself otherwise.
 *
 * ```ts
 * classifierLogits(tf.tensor2d([[0.25, 0.75]]), true); // log of the probabilities
 * ```
 */
export function classifierLogits(output: tf.Tensor, probabilities: boolean): tf.Tensor {
  return probabilities ? tf.log(tf.clipByValue(output, 1e-7, 1)) : output;
}
