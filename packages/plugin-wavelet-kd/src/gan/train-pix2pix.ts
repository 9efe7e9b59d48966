import * as tf from '@tensorflow/tfjs';
import { inputError, type PairedImages, type SeededRng } from '@whittle/kernel';

/** A conditional GAN: the generator maps inputs to images; the discriminator scores [input, image] pairs with patch logits. */
export interface Pix2PixNetworks {
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
}

/** Optimiser and loss settings of `trainPix2Pix`. */
export interface Pix2PixTrainingSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly beta1: number;
  /** Weight of the L1 loss to the target (pix2pix's λ = 100); the adversarial term has weight 1. */
  readonly l1Weight: number;
}

/**
 * An extra generator loss from a frozen teacher: `targets` holds the teacher's output for every
 * training input (aligned with `train.x`), and `loss(teacherBatch, studentBatch)` is added with `weight`.
 */
export interface DistillationTerm {
  readonly targets: tf.Tensor4D;
  readonly weight: number;
  loss(teacher: tf.Tensor4D, student: tf.Tensor4D): tf.Scalar;
}

/** What `trainPix2Pix` measured. */
export interface Pix2PixTrainingResult {
  readonly steps: number;
  /** Mean over the last 10% of steps (at least one). */
  readonly generatorLoss: number;
  readonly discriminatorLoss: number;
  readonly distillLoss: number;
  readonly l1Loss: number;
  readonly milliseconds: number;
}

/** Called after each step with its index (0-based) and that step's losses. */
export type StepListener = (step: number, losses: { generator: number; discriminator: number; l1: number; distill: number }) => void;

function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * pix2pix training (Isola et al. 2017) with alternating updates and an optimiser per network
 * (Adam, lr, β1): per step, on a batch from a seeded per-epoch shuffle,
 *
 * - generator: BCE(D(x, G(x)), 1) + λ·L1(G(x), y) [+ w·distill(teacher(x), G(x))], gradients to G only;
 * - discriminator: ½·[BCE(D(x, y), 1) + BCE(D(x, G(x)), 0)] on the same G(x), gradients to D only.
 *
 * Both networks run in training mode (batch statistics). The teacher is never called here: its
 * outputs are precomputed constants, so no gradient can reach it.
 *
 * ```ts
 * const result = await trainPix2Pix({ generator, discriminator }, splits.train, settings, rng.fork('gan'));
 * ```
 */
export async function trainPix2Pix(
  networks: Pix2PixNetworks, train: PairedImages, settings: Pix2PixTrainingSettings, rng: SeededRng,
  distill?: DistillationTerm, onStep?: StepListener,
): Promise<Pix2PixTrainingResult> {
  const { generator, discriminator } = networks;
  const n = train.x.shape[0];
  if (n < 1) throw inputError('EMPTY_DATA', 'pix2pix: the training split is empty', 'Raise data.trainLimit or lower validationSplit.');
  if (distill !== undefined && distill.targets.shape[0] !== n) {
    throw inputError('DISTILL_TARGETS_MISMATCH', `pix2pix: ${distill.targets.shape[0]} teacher outputs for ${n} training inputs`, 'Compute the teacher outputs on the training split.');
  }
  const batchSize = Math.min(settings.batchSize, n);
  const generatorOptimizer = tf.train.adam(settings.learningRate, settings.beta1, 0.999);
  const discriminatorOptimizer = tf.train.adam(settings.learningRate, settings.beta1, 0.999);
  const generatorVariables = variablesOf(generator);
  const discriminatorVariables = variablesOf(discriminator);
  const started = Date.now();
  const tail = Math.max(1, Math.round(settings.steps / 10));
  const sums = { generator: 0, discriminator: 0, l1: 0, distill: 0 };
  let order = rng.permutation(n);
  let cursor = 0;
  try {
    for (let step = 0; step < settings.steps; step++) {
      if (cursor + batchSize > n) {
        order = rng.permutation(n);
        cursor = 0;
      }
      const indices = tf.tensor1d(order.subarray(cursor, cursor + batchSize), 'int32');
      cursor += batchSize;
      const x = tf.gather(train.x, indices);
      const y = tf.gather(train.y, indices);
      const teacherBatch = distill === undefined ? undefined : tf.gather(distill.targets, indices) as tf.Tensor4D;
      let fake: tf.Tensor | undefined;
      let l1: tf.Scalar | undefined;
      let kd: tf.Scalar | undefined;
      const generatorLoss = generatorOptimizer.minimize(() => {
        const output = generator.apply(x, { training: true }) as tf.Tensor4D;
        const logits = discriminator.apply([x, output], { training: true }) as tf.Tensor;
        const adversarial = tf.losses.sigmoidCrossEntropy(tf.onesLike(logits), logits);
        const reconstruction = output.sub(y).abs().mean() as tf.Scalar;
        l1 = tf.keep(reconstruction.clone());
        let total = adversarial.add(reconstruction.mul(settings.l1Weight));
        if (distill !== undefined && teacherBatch !== undefined) {
          const term = distill.loss(teacherBatch, output);
          kd = tf.keep(term.clone());
          total = total.add(term.mul(distill.weight));
        }
        fake = tf.keep(output.clone());
        return total as tf.Scalar;
      }, true, generatorVariables);
      const detached = fake!;
      const discriminatorLoss = discriminatorOptimizer.minimize(() => {
        const real = discriminator.apply([x, y], { training: true }) as tf.Tensor;
        const faked = discriminator.apply([x, detached], { training: true }) as tf.Tensor;
        return tf.losses.sigmoidCrossEntropy(tf.onesLike(real), real).add(tf.losses.sigmoidCrossEntropy(tf.zerosLike(faked), faked)).mul(0.5) as tf.Scalar;
      }, true, discriminatorVariables);
      const values = {
        generator: generatorLoss?.dataSync()[0] ?? Number.NaN,
        discriminator: discriminatorLoss?.dataSync()[0] ?? Number.NaN,
        l1: l1?.dataSync()[0] ?? Number.NaN,
        distill: kd?.dataSync()[0] ?? 0,
      };
      tf.dispose([indices, x, y, detached, generatorLoss, discriminatorLoss, l1, kd, ...(teacherBatch === undefined ? [] : [teacherBatch])].filter((t): t is tf.Tensor => t !== undefined));
      if (!Number.isFinite(values.generator) || !Number.isFinite(values.discriminator)) {
        throw inputError('GAN_DIVERGED', `pix2pix: the loss became ${values.generator} (generator) / ${values.discriminator} (discriminator) at step ${step + 1}`, 'Lower learningRate or l1Weight.');
      }
      if (step >= settings.steps - tail) for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += values[key];
      onStep?.(step, values);
      if (step % 20 === 19) await new Promise((resolve) => setImmediate(resolve)); // let signals and progress through
    }
  } finally {
    generatorOptimizer.dispose();
    discriminatorOptimizer.dispose();
  }
  const count = Math.min(tail, settings.steps);
  return {
    steps: settings.steps,
    generatorLoss: sums.generator / count,
    discriminatorLoss: sums.discriminator / count,
    l1Loss: sums.l1 / count,
    distillLoss: sums.distill / count,
    milliseconds: Date.now() - started,
  };
}

/**
 * The teacher's outputs for every input (inference mode), `batchSize` at a time: the constants the
 * distillation term compares against.
 *
 * ```ts
 * const targets = teacherOutputs(teacher, splits.train.x);
 * ```
 */
export function teacherOutputs(teacher: tf.LayersModel, x: tf.Tensor4D, batchSize = 256): tf.Tensor4D {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) parts.push(tf.tidy(() => teacher.predict(x.slice(start, Math.min(batchSize, n - start))) as tf.Tensor));
  const all = tf.concat(parts, 0) as tf.Tensor4D;
  tf.dispose(parts);
  return all;
}
