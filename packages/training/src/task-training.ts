import * as tf from '@tensorflow/tfjs';
import { inputError, type DatasetSplits, type MetricProvider, type Providers, type StageCall, type TaskDefinition } from '@whittle/kernel';
import { classifierLogits, outputsProbabilities } from './classifier-logits.js';
import type { BatchLoss } from './train-loop.js';

/** What training validates on after each epoch: the task's first metric, and which way is better. */
export interface ValidationMetric {
  readonly provider: MetricProvider;
  /** `bestValidation<Name>` in the stage record (e.g. `bestValidationAccuracy`, `bestValidationL1`). */
  readonly recordKey: string;
}

/** The data a stage trains on, or an input error naming the stage. */
export function requireData(call: StageCall): DatasetSplits {
  if (call.ctx.data === undefined) {
    throw inputError('DATA_MISSING', `stage ${call.stage.label} trains, but the pipeline has no "data"`, 'Add a "data" block, e.g. {"provider": "fashion-mnist-sample"}.');
  }
  return call.ctx.data;
}

/** The registered task of the run's data (from the `TASKS` service), or its input error. */
export function taskOf(tasks: Providers<TaskDefinition>, data: DatasetSplits): TaskDefinition {
  return tasks.get(data.task, { why: `the data "${data.name}" is for it` });
}

/**
 * The loss a task trains with by default: softmax cross-entropy on one-hot labels (the model may
 * end in softmax or output logits), the mean absolute (`l1`) or squared (`mse`) error to the targets.
 *
 * ```ts
 * const loss = taskLoss(imageToImageTask, model, 'train'); // mean |output − target|
 * ```
 */
export function taskLoss(task: TaskDefinition, model: tf.LayersModel, stage: string): BatchLoss {
  switch (task.loss) {
    case 'cross-entropy': {
      const probabilities = outputsProbabilities(model);
      return (_x, labels, output) => tf.losses.softmaxCrossEntropy(labels, classifierLogits(output, probabilities));
    }
    case 'l1':
      return (_x, targets, output) => tf.losses.absoluteDifference(targets, output);
    case 'mse':
      return (_x, targets, output) => tf.losses.meanSquaredError(targets, output);
    case undefined:
      throw inputError('TRAIN_TASK_UNSUPPORTED', `stage ${stage}: task "${task.name}" has no default loss, so it cannot train it`,
        'Use a plugin made for this task (e.g. a diffusion trainer for generative data), or data of a task with a loss (classification, image-to-image).');
  }
}

/** The task's first metric provider (from the `METRICS` service), which training validates on; undefined when the task lists none. */
export function validationMetric(metrics: Providers<MetricProvider>, task: TaskDefinition): ValidationMetric | undefined {
  const name = task.metrics[0];
  if (name === undefined) return undefined;
  const provider = metrics.get(name, { why: `task "${task.name}" validates on it` });
  const words = name.split(/[^a-zA-Z0-9]+/).filter((w) => w !== '');
  return { provider, recordKey: `bestValidation${words.map((w) => (w.length <= 2 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1))).join('')}` };
}
