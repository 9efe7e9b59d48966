import * as tf from '@tensorflow/tfjs';
import {
  definePluginMeta, inputError, isClassification, METRICS, TASKS, tapStage, Type, withDefault,
  type Kernel, type LabeledTensors, type MetricProvider, type Providers, type StageOptions, type TaskDefinition, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { classifierLogits, outputsProbabilities, requireData, taskOf, trainingOptionsProperties, trainLoop, validationMetric } from '@whittle/training';

/** The options schema of `kd`: the training knobs, the temperature and the distillation weight. */
export const KdOptionsSchema = Type.Object(
  {
    ...trainingOptionsProperties,
    temperature: withDefault(Type.Number({ exclusiveMinimum: 0, description: 'Softening temperature T.' }), 4),
    alpha: withDefault(Type.Number({ minimum: 0, maximum: 1, description: 'Weight of the distillation term; the hard-label cross-entropy gets 1 − alpha.' }), 0.9),
  },
  { additionalProperties: false },
);

export type KdOptions = StageOptions<typeof KdOptionsSchema>;

/**
 * `distill` stage `kd`: logit distillation (Hinton et al. 2015) from the pipeline's `teacher`:
 * loss = α·T²·KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α)·CE(y, softmax(s)).
 * Teacher and student may each end in softmax (their log-probabilities serve as logits: equal up to a
 * per-row constant) or output raw logits.
 *
 * ```json
 * { "teacher": { "stage": 0 },
 *   "stages": [ …, { "hook": "distill", "plugin": "kd", "options": { "temperature": 4, "alpha": 0.9, "epochs": 2 } } ] }
 * ```
 */
@injectable()
export class KdPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'kd',
    hook: 'distill',
    description: 'Knowledge distillation on softened logits from the pipeline teacher (temperature, alpha).',
    requires: ['teacher', 'data'],
    optionsSchema: KdOptionsSchema,
  });

  readonly name = KdPlugin.meta.name;

  constructor(
    @inject(TASKS) private readonly tasks: Providers<TaskDefinition>,
    @inject(METRICS) private readonly metrics: Providers<MetricProvider>,
  ) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, KdPlugin.meta, async (model, call) => {
      const { options } = call;
      const data = requireData(call);
      // Softened logits and one-hot labels are a classifier's: refuse other tasks before loading the teacher.
      if (!isClassification(data)) {
        throw inputError('KD_TASK_UNSUPPORTED', `stage ${call.stage.label}: kd distils classifiers' logits, but the data "${data.name}" is for task "${data.task}"`,
          'Use kd on classification data, or a distillation plugin made for this task (e.g. wavelet KD for image-to-image).');
      }
      const validation = validationMetric(this.metrics, taskOf(this.tasks, data));
      const teacher = await call.ctx.teacher();
      const { temperature: T, alpha } = options;
      const train = data.train;
      // The teacher is frozen and the training images are fixed tensors (no augmentation), so its
      // logits are computed once per run (the run's memo, shared by every kd stage) and carried as
      // extra label columns: no teacher pass per step.
      const from = [teacher, train.x, train.y];
      const reused = call.ctx.memo.has(from, TEACHER_LABELS);
      const withTeacher = { ...train, y: call.ctx.memo.get(from, TEACHER_LABELS, () => teacherLabels(teacher, train)) };
      const studentProbabilities = outputsProbabilities(model);
      const result = await trainLoop(model, call, options, (_x, labels, output) => {
        const classes = output.shape[output.shape.length - 1] as number;
        const [hardLabels, teacherLogits] = tf.split(labels, [labels.shape[1]! - classes, classes], 1) as [tf.Tensor, tf.Tensor];
        const studentLogits = classifierLogits(output, studentProbabilities);
        const soft = tf.softmax(teacherLogits.div(T));
        const kl = tf.sum(soft.mul(tf.logSoftmax(teacherLogits.div(T)).sub(tf.logSoftmax(studentLogits.div(T)))), -1).mean();
        const hard = tf.losses.softmaxCrossEntropy(hardLabels, studentLogits);
        return kl.mul(alpha * T * T).add(hard.mul(1 - alpha)) as tf.Scalar;
      }, validation, withTeacher);
      call.record({ epochs: result.epochsRun, finalLoss: result.finalLoss, ...(validation === undefined ? {} : { [validation.recordKey]: result.bestValidation }), teacherLogits: reused ? 'reused' : 'computed' });
      return model;
    });
  }
}

/** The run-memo entry of the training labels with the teacher's logits appended. */
const TEACHER_LABELS = 'kd: labels with teacher logits';

/** The training labels with the teacher's logits appended to each one-hot row ([N, C + C]). */
function teacherLabels(teacher: tf.LayersModel, train: LabeledTensors): tf.Tensor2D {
  const n = train.x.shape[0];
  const probabilities = outputsProbabilities(teacher);
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += 256) {
    parts.push(tf.tidy(() => classifierLogits(teacher.predict(train.x.slice(start, Math.min(256, n - start))) as tf.Tensor, probabilities)));
  }
  const y = tf.tidy(() => tf.concat([train.y, tf.concat(parts, 0)], 1)) as tf.Tensor2D;
  tf.dispose(parts);
  return y;
}
