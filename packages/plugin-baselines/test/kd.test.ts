import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { RunMemo, runStage, type ClassificationSplits, type ImageToImageSplits } from '@whittle/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputsProbabilities } from '@whittle/training';
import { KdPlugin, TrainPlugin } from '../src/index.js';
import metrics from '@whittle/metrics';

/** The metric providers and tasks a run gets besides its plugins (the CLI passes the same). */
const manifests = [metrics];

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** A softmax classifier without BatchNorm: training and inference outputs agree, so a clone's KL is exactly 0. */
function classifier(seed: number, activation: 'softmax' | 'linear' = 'softmax'): tf.LayersModel {
  const x = tf.input({ shape: [4, 4, 1] });
  const h = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 3, activation, kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

function data(): ClassificationSplits {
  const split = (n: number, seed: number) => ({
    x: tf.randomNormal([n, 4, 4, 1], 0, 1, 'float32', seed) as tf.Tensor4D,
    y: tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3).toFloat() as tf.Tensor2D,
  });
  const train = split(40, 1);
  const validation = split(12, 2);
  return { name: 'random', task: 'classification', train, validation, numClasses: 3, inputShape: [4, 4, 1], dispose: () => tf.dispose([train.x, train.y, validation.x, validation.y]) };
}

const tiny = { epochs: 1, batchSize: 8, optimizer: 'sgd', learningRate: 1e-9, temperature: 2 };

describe('kd', () => {
  it('distils from the teacher\'s logits: a student equal to its teacher has zero distillation loss, and nothing leaks', async () => {
    const splits = data();
    const teacher = classifier(3);
    const student = classifier(3);
    const before = tf.memory().numTensors;
    const pure = await runStage(KdPlugin, { manifests, model: student, data: splits, teacher, options: { ...tiny, alpha: 1 } });
    expect(pure.metrics['finalLoss']).toBeCloseTo(0, 6);
    // alpha 0 is the hard-label cross-entropy alone.
    const hard = await runStage(KdPlugin, { manifests, model: student, data: splits, teacher, options: { ...tiny, alpha: 0 } });
    const ce = tf.tidy(() => tf.losses.softmaxCrossEntropy(splits.train.y, tf.log((student.predict(splits.train.x) as tf.Tensor).clipByValue(1e-7, 1))).dataSync()[0]!);
    expect(hard.metrics['finalLoss']).toBeCloseTo(ce, 4);
    expect(tf.memory().numTensors).toBe(before);
    // A different teacher gives a positive distillation loss.
    const other = classifier(4);
    const apart = await runStage(KdPlugin, { manifests, model: student, data: splits, teacher: other, options: { ...tiny, alpha: 1 } });
    expect(apart.metrics['finalLoss']).toBeGreaterThan(1e-3);
    [teacher, student, other].forEach((m) => m.dispose());
    splits.dispose();
  });

  it('reads raw-logit outputs as logits and softmax outputs as probabilities, in train and kd alike', async () => {
    const splits = data();
    const logits = classifier(5, 'linear');
    const probabilities = classifier(5, 'softmax');
    expect([outputsProbabilities(logits), outputsProbabilities(probabilities)]).toEqual([false, true]);
    const before = tf.memory().numTensors;
    const ce = tf.tidy(() => tf.losses.softmaxCrossEntropy(splits.train.y, logits.predict(splits.train.x) as tf.Tensor).dataSync()[0]!);
    const trained = await runStage(TrainPlugin, { manifests, model: logits, data: splits, options: { epochs: 1, batchSize: 40, optimizer: 'sgd', learningRate: 1e-9 } });
    expect(trained.metrics['finalLoss']).toBeCloseTo(ce, 4);
    const hard = await runStage(KdPlugin, { manifests, model: logits, data: splits, teacher: probabilities, options: { ...tiny, batchSize: 40, alpha: 0 } });
    expect(hard.metrics['finalLoss']).toBeCloseTo(ce, 4);
    // Same weights, one with softmax on top: the teacher's probabilities are the student's softmax, so the distillation loss is 0.
    const same = await runStage(KdPlugin, { manifests, model: logits, data: splits, teacher: probabilities, options: { ...tiny, alpha: 1 } });
    expect(same.metrics['finalLoss']).toBeCloseTo(0, 5);
    expect(tf.memory().numTensors).toBe(before);
    [logits, probabilities].forEach((m) => m.dispose());
    splits.dispose();
  });

  it('computes a teacher\'s logits once for every kd stage sharing a memo, and again for another teacher', async () => {
    const splits = data();
    const [teacher, other, student] = [classifier(3), classifier(4), classifier(5)];
    const memo = new RunMemo();
    const before = tf.memory().numTensors;
    const first = await runStage(KdPlugin, { manifests, model: student, data: splits, teacher, memo, options: { ...tiny, alpha: 1 } });
    const again = await runStage(KdPlugin, { manifests, model: student, data: splits, teacher, memo, options: { ...tiny, alpha: 1 } });
    expect(memo.size).toBe(1);
    expect([first.metrics['teacherLogits'], again.metrics['teacherLogits']]).toEqual(['computed', 'reused']);
    expect(again.metrics['finalLoss']).toBeCloseTo(first.metrics['finalLoss'] as number, 6);
    const apart = await runStage(KdPlugin, { manifests, model: student, data: splits, teacher: other, memo, options: { ...tiny, alpha: 1 } });
    expect(memo.size).toBe(2);
    expect(apart.metrics['finalLoss']).not.toBeCloseTo(first.metrics['finalLoss'] as number, 3);
    expect(tf.memory().numTensors).toBe(before + 2);
    memo.dispose();
    expect(tf.memory().numTensors).toBe(before);
    [teacher, other, student].forEach((m) => m.dispose());
    splits.dispose();
  });

  it('refuses data of another task with a clear input error', async () => {
    const x = tf.randomNormal([8, 4, 4, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = tf.neg(x) as tf.Tensor4D;
    const paired: ImageToImageSplits = { name: 'pairs', task: 'image-to-image', train: { x, y }, validation: { x, y }, inputShape: [4, 4, 1], dispose: () => tf.dispose([x, y]) };
    const [student, teacher] = [classifier(1), classifier(2)];
    const error = await runStage(KdPlugin, { manifests, model: student, data: paired, teacher, options: tiny }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KD_TASK_UNSUPPORTED', exitCode: 2 });
    expect((error as Error).message).toContain('task "image-to-image"');
    [student, teacher].forEach((m) => m.dispose());
    paired.dispose();
  });
});
