import { definePluginMeta, LOGGER, Type, METRICS, TASKS, tapStage, type Kernel, type Logger, type MetricProvider, type Providers, type TaskDefinition, type WhittlePlugin } from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { requireData, taskLoss, taskOf, trainingOptionsProperties, trainLoop, validationMetric } from '@whittle/training';

/**
 * `recover` stage `train`: plain training or fine-tuning on the run's data with its task's default
 * loss (cross-entropy for classification, where the model may end in softmax or output raw logits;
 * L1 for image-to-image), validating on the task's first metric (accuracy; L1) after each epoch.
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
    description: 'Train or fine-tune the model with the data task\'s loss: cross-entropy, L1 (optimizer, learning-rate schedule, early stop).',
    requires: ['data'],
    optionsSchema: Type.Object(trainingOptionsProperties, { additionalProperties: false }),
  });

  readonly name = TrainPlugin.meta.name;

  /** The task, its loss and its metrics come from what the run's packages registered, by DI token. */
  constructor(
    @inject(LOGGER) private readonly logger: Logger,
    @inject(TASKS) private readonly tasks: Providers<TaskDefinition>,
    @inject(METRICS) private readonly metrics: Providers<MetricProvider>,
  ) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, TrainPlugin.meta, async (model, call) => {
      const task = taskOf(this.tasks, requireData(call));
      const validation = validationMetric(this.metrics, task);
      const result = await trainLoop(model, call, call.options, taskLoss(task, model, call.stage.label), validation);
      if (result.stoppedEarly) this.logger.info(`  early stop after ${result.epochsRun} epochs`);
      call.record({ epochs: result.epochsRun, finalLoss: result.finalLoss, loss: task.loss ?? 'none', ...(validation === undefined ? {} : { [validation.recordKey]: result.bestValidation }) });
      return model;
    });
  }
}
