import * as tf from '@tensorflow/tfjs';
import { batches } from '@whittle/data';
import { inputError, type Examples, type StageCall } from '@whittle/kernel';
import type { ValidationMetric } from './task-training.js';
import { requireData } from './task-training.js';
import { createOptimizer, setLearningRate } from './create-optimizer.js';
import { EarlyStopping, formatValidation } from './early-stopping.js';
import { learningRateAt, type TrainingOptions } from './training-options.js';

/** The loss of one batch, given the inputs, the targets (one-hot labels, target images, …) and the model's (training-mode) output. */
export type BatchLoss = (x: tf.Tensor, labels: tf.Tensor, output: tf.Tensor) => tf.Scalar;

export interface TrainLoopResult {
  readonly epochsRun: number;
  readonly finalLoss: number;
  /** The best validation figure (of `validation`'s metric); NaN without one. */
  readonly bestValidation: number;
  readonly stoppedEarly: boolean;
  /** Per epoch: the mean training loss and the validation figure (when there is one). */
  readonly history: readonly Readonly<Record<string, number>>[];
}

/** The per-epoch history as a report item (`history.report.json`, drawn as curves in report.html). */
export const HISTORY_FILE = 'history.report.json';

/**
 * Trains `model` in place on the run's training split: seeded shuffling per epoch, the learning-rate
 * schedule, the validation metric after each epoch (the task's first, e.g. accuracy or L1) and early
 * stopping on it that restores the best weights.
 * Batch-norm statistics update as in `model.fit` (the model is applied with `training: true`).
 * `train` replaces the training split (same images; e.g. labels with extra columns the loss reads).
 */
export async function trainLoop(
  model: tf.LayersModel,
  call: StageCall,
  options: TrainingOptions,
  loss: BatchLoss,
  validation: ValidationMetric | undefined,
  train?: Examples,
): Promise<TrainLoopResult> {
  const data = { ...requireData(call), ...(train === undefined ? {} : { train }) };
  if (data.train.y === undefined) {
    throw inputError('TARGET_MISSING', `stage ${call.stage.label}: the training split has no targets (y)`, 'Train on data whose task pairs each input with a target.');
  }
  const optimizer = createOptimizer(options);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const steps = Math.ceil((data.train.x.shape[0] ?? 0) / options.batchSize);
  const tracker = new EarlyStopping(options, validation);
  let finalLoss = NaN;
  let epochsRun = 0;
  const history: Record<string, number>[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      setLearningRate(optimizer, learningRateAt(options, epoch));
      const bar = call.progress(`epoch ${epoch + 1}/${options.epochs}`, steps);
      let sum = 0;
      let count = 0;
      for (const batch of batches(data.train, options.batchSize, call.rng.fork(`epoch-${epoch}`))) {
        const targets = batch.y as tf.Tensor;
        const cost = optimizer.minimize(() => loss(batch.x, targets, model.apply(batch.x, { training: true }) as tf.Tensor), true, variables);
        const value = (await cost!.data())[0]!;
        cost!.dispose();
        batch.x.dispose();
        targets.dispose();
        if (!Number.isFinite(value)) throw inputError('TRAINING_DIVERGED', `the loss became ${value} in epoch ${epoch + 1}`, 'Lower "learningRate".');
        sum += value;
        count++;
        bar.tick(1, `loss ${(sum / count).toFixed(4)}`);
      }
      finalLoss = sum / count;
      epochsRun = epoch + 1;
      if (validation === undefined) {
        history.push({ epoch: epoch + 1, loss: finalLoss });
        bar.done(`loss ${finalLoss.toFixed(4)}`);
        continue;
      }
      const figure = await validation.provider.measure(model, { data: data.validation, batchSize: 256 });
      const name = validation.provider.name;
      history.push({ epoch: epoch + 1, loss: finalLoss, [`validation ${name}`]: figure });
      bar.done(`loss ${finalLoss.toFixed(4)}, ${formatValidation(name, figure)}`);
      if (tracker.update(figure, model)) break;
    }
    tracker.finish(model);
  } finally {
    optimizer.dispose();
    tracker.dispose();
  }
  await call.ctx.artifacts.writeFile(HISTORY_FILE, `${JSON.stringify({ kind: 'series', title: 'Training', description: `Mean training loss and validation figures per epoch of ${call.stage.label}`, x: 'epoch', rows: history }, null, 2)}\n`);
  return { epochsRun, finalLoss, bestValidation: tracker.best, stoppedEarly: tracker.stoppedEarly, history };
}
