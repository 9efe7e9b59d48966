import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from '@whittle/kernel';
import type { FrechetFeatureExtractor } from '@whittle/metrics';
import { featurePairs, withFeatures, type FeaturePair } from '../blocks/stage-boundaries.js';
import { noiseBatch } from '../diffusion/diffusion-training.js';
import type { NoiseSchedule } from '../diffusion/noise-schedule.js';
import { toUnitPixels } from '../data/diffusion-images.js';

/** Weights of the loss terms of `trainSlimUNet` (0 switches a term off). */
export interface SlimLossWeights {
  /** DDPM ε-prediction MSE against the true noise. */
  readonly task: number;
  /** Output KD: MSE between the teacher's and the student's predicted noise. */
  readonly output: number;
  /** Feature KD: mean MSE at the paired stage boundaries (`featurePairs`). */
  readonly feature: number;
  /** Semantic alignment (SAS): MSE between the Fashion-MNIST classifier's features of the teacher's and the student's x̂₀. */
  readonly semantic: number;
}

/** Options of `trainSlimUNet`. */
export interface SlimTrainingOptions {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Probability of training a step's example unconditionally (classifier-free guidance). */
  readonly labelDropout: number;
  readonly weights: SlimLossWeights;
  /** Train only these layers' weights, the rest frozen (Deep Incubation); default every layer. */
  readonly trainable?: readonly string[];
  /**
   * If > 0, keep an exponential moving average of the trained weights (`ema ← d·ema + (1 − d)·w`
   * after each step, starting from the weights the run starts with, no warm-up) and write it into
   * the model at the end. The committed teacher's weights are such an average (decay 0.999); a
   * short run at a fixed learning rate that ends on its raw last iterate is noisier than what it
   * started from (measured: 100 steps of Adam 5e-4 on the teacher itself raise its held-out ε-MSE
   * 0.0661 → 0.0701), which also hides what came before it (incubation). 0: keep the last iterate.
   */
  readonly emaDecay?: number;
}

/** What the student learns from: images, labels, the schedule, and (for the KD terms) the teacher and classifier. */
export interface SlimTrainingData {
  /** x₀ [n, h, w, c] in [−1, 1]. */
  readonly images: tf.Tensor4D;
  /** One-hot labels [n, classes]. */
  readonly labels: tf.Tensor2D;
  readonly schedule: NoiseSchedule;
  readonly teacher?: tf.LayersModel;
  /** The classifier of the semantic term. */
  readonly extractor?: FrechetFeatureExtractor;
}

/** What a `trainSlimUNet` run did. */
export interface SlimTrainingResult {
  readonly steps: number;
  readonly milliseconds: number;
  /** Mean of each weighted term (and the total) over the last min(50, steps) steps. */
  readonly finalLoss: Readonly<Record<'total' | keyof SlimLossWeights, number>>;
  readonly trainedVariables: number;
  readonly featurePairs: number;
}

const TERMS = ['task', 'output', 'feature', 'semantic'] as const;

/**
 * Trains a (slim) diffusion U-Net with BK-SDM's objective and A-SDM's semantic alignment:
 * `task·MSE(ε, ε_s) + output·MSE(ε_t, ε_s) + feature·mean_k MSE(F_t^k, F_s^k) + semantic·MSE(φ(x̂₀ᵗ), φ(x̂₀ˢ))`,
 * with F^k the stage-boundary features (`featurePairs`), x̂₀ = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t clipped to
 * [−1, 1], and φ the Fashion-MNIST classifier's pooled features. Each step draws its batch, t and ε
 * from `rng`. With `trainable`, only those layers' weights are updated and the rest of the model stays
 * as it is (Deep Incubation's training in place of a module). The teacher is never updated.
 *
 * ```ts
 * const result = trainSlimUNet(slim, { images, labels, schedule, teacher }, { steps: 200, batchSize: 32, learningRate: 5e-4, labelDropout: 0.1,
 *   weights: { task: 1, output: 1, feature: 1, semantic: 0 } }, rng);
 * ```
 */
export function trainSlimUNet(student: tf.LayersModel, data: SlimTrainingData, options: SlimTrainingOptions, rng: SeededRng, onStep?: (step: number, loss: number) => void): SlimTrainingResult {
  const { weights } = options;
  const needsTeacher = weights.output > 0 || weights.feature > 0 || weights.semantic > 0;
  if (needsTeacher && data.teacher === undefined) throw new Error('trainSlimUNet: the output, feature and semantic terms need a teacher');
  if (weights.semantic > 0 && data.extractor === undefined) throw new Error('trainSlimUNet: the semantic term needs the classifier (extractor)');
  const teacher = data.teacher;
  const pairs: FeaturePair[] = weights.feature > 0 && teacher !== undefined ? featurePairs(teacher, student) : [];
  const studentNet = pairs.length > 0 ? withFeatures(student, pairs.map((p) => p.student)) : student;
  const teacherNet = teacher === undefined ? undefined : pairs.length > 0 ? withFeatures(teacher, pairs.map((p) => p.teacher)) : teacher;
  const layers = options.trainable === undefined ? student.layers : options.trainable.map((name) => student.getLayer(name));
  const variables = layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  if (variables.length === 0) throw new Error(`trainSlimUNet: nothing to train (layers ${options.trainable?.join(', ') ?? 'all'} have no trainable weights)`);
  const emaDecay = options.emaDecay ?? 0;
  if (!(emaDecay >= 0 && emaDecay < 1)) throw new Error(`trainSlimUNet: emaDecay must be in [0, 1), got ${emaDecay}`);
  let ema: tf.Tensor[] = emaDecay > 0 ? variables.map((v) => v.clone()) : [];
  const optimizer = tf.train.adam(options.learningRate);
  const n = data.images.shape[0];
  const window: Record<string, number>[] = [];
  const started = performance.now();
  try {
    for (let step = 0; step < options.steps; step++) {
      const index = tf.tensor1d(Int32Array.from({ length: options.batchSize }, () => rng.int(n)), 'int32');
      const x0 = tf.gather(data.images, index) as tf.Tensor4D;
      const y = tf.gather(data.labels, index) as tf.Tensor2D;
      const batch = noiseBatch(x0, y, data.schedule, rng, options.labelDropout);
      const inputs = [batch.noisy, batch.timesteps, batch.labels];
      const ts = batch.timesteps.dataSync();
      const [sqrtA, sqrtOneMinusA] = tf.tidy(() => [
        tf.tensor4d(Array.from(ts, (t) => Math.sqrt(data.schedule.alphaBarAt(t))), [ts.length, 1, 1, 1]),
        tf.tensor4d(Array.from(ts, (t) => Math.sqrt(1 - data.schedule.alphaBarAt(t))), [ts.length, 1, 1, 1]),
      ]);
      const x0Hat = (eps: tf.Tensor): tf.Tensor4D => tf.clipByValue(tf.div(tf.sub(batch.noisy, tf.mul(sqrtOneMinusA, eps)), sqrtA), -1, 1) as tf.Tensor4D;
      const targets = tf.tidy(() => {
        if (teacherNet === undefined) return [] as tf.Tensor[];
        const outs = teacherNet.predict(inputs);
        const list = Array.isArray(outs) ? outs : [outs];
        const semantic = weights.semantic > 0 && data.extractor !== undefined ? [data.extractor.featureTensor(toUnitPixels(x0Hat(list[0] as tf.Tensor)))] : [];
        return [...list, ...semantic];
      });
      const terms: Record<string, number> = {};
      const termTensors: Partial<Record<(typeof TERMS)[number], tf.Scalar>> = {};
      const loss = optimizer.minimize(() => {
        const outs = studentNet.apply(inputs, { training: true });
        const list = Array.isArray(outs) ? outs : [outs];
        const eps = list[0] as tf.Tensor;
        const parts: tf.Scalar[] = [];
        const add = (term: (typeof TERMS)[number], value: () => tf.Scalar): void => {
          if (weights[term] <= 0) return;
          const v = tf.mul(value(), weights[term]) as tf.Scalar;
          termTensors[term] = tf.keep(v.clone());
          parts.push(v);
        };
        add('task', () => tf.losses.meanSquaredError(batch.noise, eps) as tf.Scalar);
        add('output', () => tf.losses.meanSquaredError(targets[0] as tf.Tensor, eps) as tf.Scalar);
        if (pairs.length > 0) add('feature', () => tf.div(tf.addN(pairs.map((_, k) => tf.losses.meanSquaredError(targets[k + 1] as tf.Tensor, list[k + 1] as tf.Tensor) as tf.Scalar)), pairs.length) as tf.Scalar);
        add('semantic', () => tf.losses.meanSquaredError(targets[targets.length - 1] as tf.Tensor, (data.extractor as FrechetFeatureExtractor).featureTensor(toUnitPixels(x0Hat(eps)))) as tf.Scalar);
        return tf.addN(parts) as tf.Scalar;
      }, true, variables);
      terms['total'] = loss === null ? Number.NaN : (loss.dataSync()[0] as number);
      for (const term of TERMS) {
        const t = termTensors[term];
        terms[term] = t === undefined ? 0 : (t.dataSync()[0] as number);
      }
      tf.dispose([loss ?? [], ...Object.values(termTensors), ...targets, sqrtA, sqrtOneMinusA, index, x0, y]);
      batch.dispose();
      if (emaDecay > 0) {
        const next = tf.tidy(() => ema.map((e, i) => tf.add(tf.mul(e, emaDecay), tf.mul(variables[i] as tf.Variable, 1 - emaDecay))));
        tf.dispose(ema);
        ema = next;
      }
      window.push(terms);
      if (window.length > 50) window.shift();
      onStep?.(step, terms['total'] as number);
    }
    ema.forEach((e, i) => (variables[i] as tf.Variable).assign(e));
  } finally {
    tf.dispose(ema);
    optimizer.dispose();
  }
  const mean = (key: string) => window.reduce((s, t) => s + (t[key] ?? 0), 0) / Math.max(1, window.length);
  return {
    steps: options.steps,
    milliseconds: performance.now() - started,
    finalLoss: { total: mean('total'), task: mean('task'), output: mean('output'), feature: mean('feature'), semantic: mean('semantic') },
    trainedVariables: variables.length,
    featurePairs: pairs.length,
  };
}
