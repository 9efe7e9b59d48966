import * as tf from '@tensorflow/tfjs';
import { batches } from '@whittle/data';
import { evaluateAccuracy, inputError, type DatasetSplits, type LabeledTensors, type StageCall } from '@whittle/kernel';
import { createOptimizer, setLearningRate } from './create-optimizer.js';
import { learningRateAt, type TrainingOptions } from './training-options.js';

/** The loss of one batch, given the inputs, one-hot labels and the model's (training-mode) output. */
export type BatchLoss = (x: tf.Tensor, labels: tf.Tensor, output: tf.Tensor) => tf.Scalar;

export interface TrainLoopResult {
  readonly epochsRun: number;
  readonly finalLoss: number;
  readonly bestValidationAccuracy: number;
  readonly stoppedEarly: boolean;
}

/**
 * Trains `model` in place on the run's training split: seeded shuffling per epoch, the learning-rate
 * schedule, validation accuracy after each epoch and early stopping that restores the best weights.
 * Batch-norm statistics update as in `model.fit` (the model is applied with `training: true`).
 * `train` replaces the training split (same images; e.g. labels with extra columns the loss reads).
 */
export async function trainLoop(model: tf.LayersModel, call: StageCall, options: TrainingOptions, loss: BatchLoss, train?: LabeledTensors): Promise<TrainLoopResult> {
  const data = { ...requireData(call), ...(train === undefined ? {} : { train }) };
  const optimizer = createOptimizer(options);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const steps = Math.ceil(data.train.x.shape[0] / options.batchSize);
  let best = -Infinity;
  let bestWeights: tf.Tensor[] | undefined;
  let sinceBest = 0;
  let finalLoss = NaN;
  let epochsRun = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      setLearningRate(optimizer, learningRateAt(options, epoch));
      const bar = call.progress(`epoch ${epoch + 1}/${options.epochs}`, steps);
      let sum = 0;
      let count = 0;
      for (const batch of batches(data.train, options.batchSize, call.rng.fork(`epoch-${epoch}`))) {
        const cost = optimizer.minimize(() => loss(batch.x, batch.y, model.apply(batch.x, { training: true }) as tf.Tensor), true, variables);
        const value = (await cost!.data())[0]!;
        cost!.dispose();
        batch.x.dispose();
        batch.y.dispose();
        if (!Number.isFinite(value)) throw inputError('TRAINING_DIVERGED', `the loss became ${value} in epoch ${epoch + 1}`, 'Lower "learningRate".');
        sum += value;
        count++;
        bar.tick(1, `loss ${(sum / count).toFixed(4)}`);
      }
      finalLoss = sum / count;
      epochsRun = epoch + 1;
      const accuracy = evaluateAccuracy(model, data.validation, 256);
      bar.done(`loss ${finalLoss.toFixed(4)}, validation accuracy ${(accuracy * 100).toFixed(2)}%`);
      if (accuracy > best + (options.earlyStop?.minDelta ?? 0)) {
        best = accuracy;
        sinceBest = 0;
        if (options.earlyStop !== undefined) {
          bestWeights?.forEach((t) => t.dispose());
          bestWeights = model.getWeights().map((w) => w.clone());
        }
      } else if (options.earlyStop !== undefined && ++sinceBest >= options.earlyStop.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (stoppedEarly && bestWeights !== undefined) model.setWeights(bestWeights);
  } finally {
    optimizer.dispose();
    bestWeights?.forEach((t) => t.dispose());
  }
  return { epochsRun, finalLoss, bestValidationAccuracy: best, stoppedEarly };
}

function requireData(call: StageCall): DatasetSplits {
  if (call.ctx.data === undefined) {
    throw inputError('DATA_MISSING', `stage ${call.stage.label} trains, but the pipeline has no "data"`, 'Add a "data" block, e.g. {"provider": "fashion-mnist-sample"}.');
  }
  return call.ctx.data;
}
