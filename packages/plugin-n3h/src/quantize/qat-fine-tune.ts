import * as tf from '@tensorflow/tfjs';
import { batches } from '@whittle/data';
import { inputError, type Examples, type SeededRng } from '@whittle/kernel';
import { quantizeKernel } from './fake-quantize.js';

export interface QatOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Stop after this many steps in all (a search's short fine-tune). */
  readonly maxSteps?: number;
}

export interface QatResult {
  readonly steps: number;
  readonly finalLoss: number;
  /** Mean training loss of each epoch run (a cut-short last epoch: of its steps). */
  readonly epochLosses: readonly number[];
}

/** Per GEMM layer: the kernel to keep quantized and its per-output-channel bits. */
export interface QuantizedKernel {
  readonly layer: string;
  readonly channelBits: readonly number[];
  /** Float weights to start the shadow copy from (default: the kernel's current, quantized, values). */
  readonly float?: tf.Tensor;
}

function crossEntropy(probabilities: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.log(tf.clipByValue(probabilities, 1e-7, 1))), -1))) as tf.Scalar;
}

/**
 * Quantization-aware fine-tuning with a straight-through estimator for the weights: each quantized
 * kernel has a float shadow; the forward pass uses the quantized kernel, its gradient updates the
 * shadow (d loss/d w_float := d loss/d w_q), and the kernel is re-quantized from the shadow after
 * every step. Activations are fake-quantized by the model's `N3hFakeQuant` layers (STE in their
 * gradient). Adam, cross-entropy on the softmax output; BatchNorm statistics update as in training.
 */
export async function qatFineTune(model: tf.LayersModel, kernels: readonly QuantizedKernel[], train: Examples, options: QatOptions, rng: SeededRng): Promise<QatResult> {
  if (train.y === undefined) throw inputError('TARGET_MISSING', 'QAT fine-tuning needs labelled training data', 'Use a classification dataset.');
  const shadows = kernels.map((k) => {
    const layer = model.getLayer(k.layer.split('#')[0] as string);
    const variable = layer.weights.find((w) => /kernel$/.test(w.originalName))!;
    return { variable, shadow: tf.variable(k.float ?? variable.read(), true), bits: k.channelBits };
  });
  const byName = new Map(shadows.map((s) => [(s.variable.read() as tf.Variable).name, s]));
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(options.learningRate);
  let steps = 0;
  let finalLoss = NaN;
  const epochLosses: number[] = [];
  try {
    outer: for (let epoch = 0; epoch < options.epochs; epoch++) {
      let sum = 0;
      let count = 0;
      for (const batch of batches(train, options.batchSize, rng.fork(`qat-${epoch}`))) {
        const labels = batch.y as tf.Tensor;
        const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(batch.x, { training: true }) as tf.Tensor, labels), variables);
        optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name: byName.get(name)?.shadow.name ?? name, tensor })));
        tf.dispose(grads);
        finalLoss = (await value.data())[0] as number;
        tf.dispose([value, batch.x, labels]);
        for (const { variable, shadow, bits } of shadows) {
          const quantized = quantizeKernel(shadow, bits);
          variable.write(quantized);
          quantized.dispose();
        }
        if (!Number.isFinite(finalLoss)) throw inputError('TRAINING_DIVERGED', `QAT loss became ${finalLoss}`, 'Lower the learning rate.');
        steps++;
        sum += finalLoss;
        count++;
        if (options.maxSteps !== undefined && steps >= options.maxSteps) {
          epochLosses.push(sum / count);
          break outer;
        }
      }
      if (count > 0) epochLosses.push(sum / count);
    }
  } finally {
    optimizer.dispose();
    for (const { shadow } of shadows) shadow.dispose();
  }
  return { steps, finalLoss, epochLosses };
}

/** Top-1 accuracy (0..1) of a classifier on labelled examples. */
export async function accuracyOf(model: tf.LayersModel, data: Examples, batchSize = 256): Promise<number> {
  if (data.y === undefined) throw inputError('TARGET_MISSING', 'accuracy needs labelled examples', 'Use a classification dataset.');
  let correct = 0;
  const n = data.x.shape[0] ?? 0;
  for (const batch of batches(data, batchSize)) {
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(batch.x) as tf.Tensor, -1), tf.argMax(batch.y as tf.Tensor, -1)), 'float32')));
    correct += (await hits.data())[0] as number;
    tf.dispose([hits, batch.x, batch.y]);
  }
  return n === 0 ? NaN : correct / n;
}
