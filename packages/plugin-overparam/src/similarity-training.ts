import * as tf from '@tensorflow/tfjs';
import { batches } from '@whittle/data';
import { inputError, type StageCall } from '@whittle/kernel';
import { classifierLogits, createOptimizer, EarlyStopping, formatValidation, learningRateAt, outputsProbabilities, requireData, setLearningRate, type BatchLoss, type TrainingOptions, type ValidationMetric } from '@whittle/training';
import { similarityLoss, similarityMatrix } from './similarity-loss.js';

/** Logit distillation (Hinton et al.) on top: `(1 − α)·task + α·T²·KL(softmax(t/T) ‖ softmax(s/T))`. */
export interface LogitDistillation {
  readonly temperature: number;
  readonly alpha: number;
}

/** SP-KD from a frozen teacher: the student's and the teacher's layers of the same names, paired; optionally logit KD too. */
export interface SimilarityDistillation {
  readonly teacher: tf.LayersModel;
  /** Layer names present in both models (empty: logit KD alone). */
  readonly pairs: readonly string[];
  readonly gamma: number;
  readonly reduction: 'mean' | 'sum';
  readonly logit?: LogitDistillation;
}

export interface SimilarityTrainingResult {
  readonly epochsRun: number;
  /** Mean total loss of the last epoch. */
  readonly finalLoss: number;
  /** Mean SP-KD loss (before γ) of the last epoch; NaN without distillation. */
  readonly finalSimilarityLoss: number;
  readonly bestValidation: number;
  readonly stoppedEarly: boolean;
  /** Wall-clock seconds per epoch of training (validation excluded). */
  readonly secondsPerEpoch: number;
}

/** A model's outputs and its layers' outputs as one model (layers shared, not copied: never dispose it) and, per entry of `layers`, its output's index. */
interface FeatureModel {
  readonly model: tf.LayersModel;
  readonly index: readonly number[];
}

/** The model's (first) output when `withOutput`, then the outputs of `layers`, each tensor once (tfjs refuses repeated outputs). */
function featureModel(model: tf.LayersModel, layers: readonly string[], withOutput: boolean): FeatureModel {
  const outputs: tf.SymbolicTensor[] = withOutput ? [model.outputs[0] as tf.SymbolicTensor] : [];
  const index = layers.map((name) => {
    const tensor = model.getLayer(name).output as tf.SymbolicTensor;
    const at = outputs.indexOf(tensor);
    if (at >= 0) return at;
    outputs.push(tensor);
    return outputs.length - 1;
  });
  return { model: tf.model({ inputs: model.inputs, outputs }), index };
}

/**
 * Trains `model` in place as `train` does (seeded shuffling per epoch, the learning-rate schedule,
 * validation after each epoch, early stopping that keeps the best weights), with the task loss plus,
 * when `distillation` is given, `γ · SP-KD` over the layer pairs: per batch the teacher's
 * similarity matrices are computed in inference mode, outside the gradient tape, and the student's
 * paired activations come from the same forward pass as its output. With `distillation.logit` the
 * task loss is blended with logit KD as `kd` does: `(1 − α)·task + α·T²·KL + γ·SP-KD`.
 */
export async function trainWithSimilarity(
  model: tf.LayersModel,
  call: StageCall,
  options: TrainingOptions,
  loss: BatchLoss,
  validation: ValidationMetric | undefined,
  distillation?: SimilarityDistillation,
): Promise<SimilarityTrainingResult> {
  const data = requireData(call);
  if (data.train.y === undefined) throw inputError('TARGET_MISSING', `stage ${call.stage.label}: the training split has no targets (y)`, 'Train on data whose task pairs each input with a target.');
  const pairs = distillation?.pairs ?? [];
  const logit = distillation?.logit;
  const student = pairs.length === 0 ? { model, index: [] } : featureModel(model, pairs, true);
  const teacher = distillation === undefined || (pairs.length === 0 && logit === undefined) ? undefined : featureModel(distillation.teacher, pairs, logit !== undefined);
  const studentProbabilities = outputsProbabilities(model);
  const teacherProbabilities = distillation === undefined ? false : outputsProbabilities(distillation.teacher);
  const optimizer = createOptimizer(options);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const steps = Math.ceil((data.train.x.shape[0] ?? 0) / options.batchSize);
  const tracker = new EarlyStopping(options, validation);
  let finalLoss = Number.NaN;
  let finalSimilarity = Number.NaN;
  let epochsRun = 0;
  let trainingMs = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      setLearningRate(optimizer, learningRateAt(options, epoch));
      const bar = call.progress(`epoch ${epoch + 1}/${options.epochs}`, steps);
      const started = performance.now();
      let sum = 0;
      let similaritySum = 0;
      let count = 0;
      for (const batch of batches(data.train, options.batchSize, call.rng.fork(`epoch-${epoch}`))) {
        const targets = batch.y as tf.Tensor;
        // The teacher's similarity matrices (and softened log-probabilities, last): inference mode, no tape.
        const teacherSimilarity = teacher === undefined ? [] : tf.tidy(() => {
          const activations = [teacher.model.predict(batch.x)].flat() as tf.Tensor[];
          const matrices: tf.Tensor[] = teacher.index.map((i) => similarityMatrix(activations[i] as tf.Tensor));
          if (logit !== undefined) matrices.push(tf.logSoftmax(tf.div(classifierLogits(activations[0] as tf.Tensor, teacherProbabilities), logit.temperature)));
          return matrices;
        });
        let similarity: tf.Scalar | undefined;
        const cost = optimizer.minimize(() => {
          const outputs = [student.model.apply(batch.x, { training: true })].flat() as tf.Tensor[];
          const output = outputs[0] as tf.Tensor;
          let total = loss(batch.x, targets, output);
          if (logit !== undefined) {
            const teacherLog = teacherSimilarity[teacherSimilarity.length - 1] as tf.Tensor;
            const studentLog = tf.logSoftmax(tf.div(classifierLogits(output, studentProbabilities), logit.temperature));
            const kl = tf.mean(tf.sum(tf.mul(tf.exp(teacherLog), tf.sub(teacherLog, studentLog)), -1));
            total = tf.add(tf.mul(total, 1 - logit.alpha), tf.mul(kl, logit.alpha * logit.temperature ** 2)) as tf.Scalar;
          }
          if (distillation === undefined || student.index.length === 0) return total;
          const terms = student.index.map((at, i) => similarityLoss(outputs[at] as tf.Tensor, teacherSimilarity[i] as tf.Tensor2D));
          const summed = tf.addN(terms) as tf.Scalar;
          const reduced = tf.keep((distillation.reduction === 'mean' ? tf.div(summed, terms.length) : summed) as tf.Scalar);
          similarity = reduced;
          return tf.add(total, tf.mul(reduced, distillation.gamma)) as tf.Scalar;
        }, true, variables);
        const value = (await cost!.data())[0]!;
        cost!.dispose();
        if (similarity !== undefined) {
          similaritySum += (await (similarity as tf.Scalar).data())[0]!;
          (similarity as tf.Scalar).dispose();
        }
        tf.dispose(teacherSimilarity);
        batch.x.dispose();
        targets.dispose();
        if (!Number.isFinite(value)) throw inputError('TRAINING_DIVERGED', `the loss became ${value} in epoch ${epoch + 1}`, 'Lower "learningRate" (or "gamma").');
        sum += value;
        count++;
        bar.tick(1, `loss ${(sum / count).toFixed(4)}`);
      }
      trainingMs += performance.now() - started;
      finalLoss = sum / count;
      finalSimilarity = student.index.length === 0 ? Number.NaN : similaritySum / count;
      epochsRun = epoch + 1;
      const spText = student.index.length === 0 ? '' : `, SP-KD ${finalSimilarity.toExponential(3)}`;
      if (validation === undefined) {
        bar.done(`loss ${finalLoss.toFixed(4)}${spText}`);
        continue;
      }
      const figure = await validation.provider.measure(model, { data: data.validation, batchSize: 256 });
      const name = validation.provider.name;
      bar.done(`loss ${finalLoss.toFixed(4)}${spText}, ${formatValidation(name, figure)}`);
      if (tracker.update(figure, model)) break;
    }
    tracker.finish(model);
  } finally {
    optimizer.dispose();
    tracker.dispose();
  }
  return { epochsRun, finalLoss, finalSimilarityLoss: finalSimilarity, bestValidation: tracker.best, stoppedEarly: tracker.stoppedEarly, secondsPerEpoch: trainingMs / 1000 / Math.max(1, epochsRun) };
}
