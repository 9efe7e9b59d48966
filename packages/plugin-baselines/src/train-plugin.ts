import * as tf from '@tensorflow/tfjs';
import { definePluginMeta, LOGGER, tapStage, type Kernel, type Logger, type WhittlePlugin } from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { classifierLogits, outputsProbabilities } from './training/classifier-logits.js';
import { trainLoop } from './training/train-loop.js';
import { TrainingOptionsSchema } from './training/training-options.js';

/**
 * `recover` stage `train`: plain training or fine-tuning with cross-entropy on the run's data.
 * The model may end in softmax (probabilities) or output raw logits.
 *
 * ```json
 * { "hook": "recover", "plugin": "train", "options": { "epochs": 3, "optimizer": "adam", "learningRate": 0.003 } }
 * ```
 */
@injectable()
export class TrainPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'train',
    hook: 'recover',
    description: 'Train or fine-tune the model with cross-entropy (optimizer, learning-rate schedule, early stop).',
    requires: ['data'],
    optionsSchema: TrainingOptionsSchema,
  });

  readonly name = TrainPlugin.meta.name;

  constructor(@inject(LOGGER) private readonly logger: Logger) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, TrainPlugin.meta, async (model, call) => {
      const probabilities = outputsProbabilities(model);
      const result = await trainLoop(model, call, call.options, (_x, labels, output) =>
        tf.losses.softmaxCrossEntropy(labels, classifierLogits(output, probabilities)),
      );
      if (result.stoppedEarly) this.logger.info(`  early stop after ${result.epochsRun} epochs`);
      call.record({ epochs: result.epochsRun, finalLoss: result.finalLoss, bestValidationAccuracy: result.bestValidationAccuracy });
      return model;
    });
  }
}
