import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '@whittle/engine';
import { runStage, type ScoreTable } from '@whittle/kernel';
import metrics from '@whittle/metrics';
import { L1NormScore, UniformPrune } from '@whittle/plugin-baselines';
import { useWasm } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { OverparamPlugin, similarityLoss, similarityMatrix } from '../src/index.js';
import { classificationData, imageToImageData, layerConfigs, layerOutputs, plainClassifier, relativeError } from './helpers/overparam-fixtures.js';

const manifests = [metrics];
/** One batch of the whole training split, a learning rate too small to move anything: the recorded loss is the loss at the start. */
const still = { epochs: 1, batchSize: 24, optimizer: 'sgd', learningRate: 1e-9 } as const;

beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

/** SP-KD by hand: mean over the pairs of ‖Ĝ_T − Ĝ_S‖²_F / b², on the (unexpanded) models' layer outputs. */
function handSimilarity(student: tf.LayersModel, teacher: tf.LayersModel, pairs: readonly string[], x: tf.Tensor): number {
  return tf.tidy(() => {
    const s = layerOutputs(student, pairs, x);
    const t = layerOutputs(teacher, pairs, x);
    return s.map((a, i) => similarityLoss(a, similarityMatrix(t[i]!)).dataSync()[0]!).reduce((a, b) => a + b, 0) / pairs.length;
  });
}

function crossEntropy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(y, tf.log(tf.clipByValue(model.predict(x) as tf.Tensor, 1e-7, 1))).dataSync()[0]!);
}

describe('overparam (recover): expand → task loss + γ·SP-KD → merge', () => {
  it('trains the loss it documents: CE + γ·mean SP-KD over the block/teacher pairs (teacher widths differ), zero SP-KD against an identical teacher', async () => {
    const data = classificationData();
    const student = plainClassifier(1, [3, 4]);
    const teacher = plainClassifier(2, [6, 8]);
    const twin = plainClassifier(1, [3, 4]);
    const { x, y } = data.train;
    const pairs = ['c1', 'c2', 'fc'];
    const expectedSp = handSimilarity(student, teacher, pairs, x);
    const ce = crossEntropy(student, x, y);
    expect(expectedSp).toBeGreaterThan(1e-3);
    const before = tf.memory().numTensors;
    const withTeacher = await runStage(OverparamPlugin, { manifests, model: student, teacher, data, options: { ...still, gamma: 100, ratio: 3 } });
    expect(withTeacher.metrics['similarityPairs']).toBe(3);
    expect(withTeacher.metrics['finalSimilarityLoss']).toBeCloseTo(expectedSp, 5);
    expect(withTeacher.metrics['finalLoss']).toBeCloseTo(ce + 100 * expectedSp, 3);
    // "sum" adds the pairs instead of averaging them.
    const summed = await runStage(OverparamPlugin, { manifests, model: student, teacher, data, options: { ...still, gamma: 100, pairReduction: 'sum' } });
    expect(summed.metrics['finalLoss']).toBeCloseTo(ce + 300 * expectedSp, 3);
    // An identical teacher: every pair's similarity matrices agree, the loss is the cross-entropy alone.
    const same = await runStage(OverparamPlugin, { manifests, model: student, teacher: twin, data, options: { ...still, gamma: 3000 } });
    expect(same.metrics['finalSimilarityLoss']).toBeLessThan(1e-9);
    expect(same.metrics['finalLoss']).toBeCloseTo(ce, 4);
    // gamma 0: expansion only, no teacher needed.
    const alone = await runStage(OverparamPlugin, { manifests, model: student, data, options: { ...still, gamma: 0 } });
    expect(alone.metrics['similarityPairs']).toBe(0);
    expect(alone.metrics['finalLoss']).toBeCloseTo(ce, 4);
    for (const out of [withTeacher, summed, same, alone]) {
      expect(relativeError(out.value, student, x)).toBeLessThan(1e-5);
      out.value.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    [student, teacher, twin].forEach((m) => m.dispose());
    data.dispose();
  });

  it('adds logit KD as kd does: (1 − α)·CE + α·T²·KL + γ·SP-KD; refuses it for a task without cross-entropy', async () => {
    const data = classificationData();
    const student = plainClassifier(1, [3, 4]);
    const teacher = plainClassifier(2, [6, 8]);
    const { x, y } = data.train;
    const T = 2;
    const alpha = 0.7;
    const kl = tf.tidy(() => {
      const logits = (m: tf.LayersModel): tf.Tensor => tf.log(tf.clipByValue(m.predict(x) as tf.Tensor, 1e-7, 1));
      const t = tf.logSoftmax(tf.div(logits(teacher), T));
      const s = tf.logSoftmax(tf.div(logits(student), T));
      return tf.mean(tf.sum(tf.mul(tf.exp(t), tf.sub(t, s)), -1)).dataSync()[0]!;
    });
    const ce = crossEntropy(student, x, y);
    const sp = handSimilarity(student, teacher, ['c1', 'c2', 'fc'], x);
    const before = tf.memory().numTensors;
    const both = await runStage(OverparamPlugin, { manifests, model: student, teacher, data, options: { ...still, gamma: 50, logitKd: { temperature: T, alpha } } });
    expect(both.metrics['finalLoss']).toBeCloseTo((1 - alpha) * ce + alpha * T * T * kl + 50 * sp, 3);
    expect(both.metrics['logitKd']).toBe('T 2, α 0.7');
    const logitOnly = await runStage(OverparamPlugin, { manifests, model: student, teacher, data, options: { ...still, gamma: 0, logitKd: { temperature: T, alpha } } });
    expect(logitOnly.metrics['finalLoss']).toBeCloseTo((1 - alpha) * ce + alpha * T * T * kl, 4);
    expect(logitOnly.metrics['finalSimilarityLoss']).toBeUndefined();
    [both, logitOnly].forEach((o) => o.value.dispose());
    expect(tf.memory().numTensors).toBe(before);
    // Image-to-image data trains with L1: a logit term has no logits to distil.
    const paired = imageToImageData();
    const conv = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 2, kernelSize: 3, padding: 'same', name: 'c' })] });
    const error = await runStage(OverparamPlugin, { manifests, model: conv, teacher: conv, data: paired, options: { ...still, batchSize: 8, logitKd: {} } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OVERPARAM_LOGIT_KD_TASK', exitCode: 2 });
    // … while SP-KD alone trains it (the task's L1 plus γ·SP-KD).
    const l1 = await runStage(OverparamPlugin, { manifests, model: conv, teacher: conv, data: paired, options: { ...still, batchSize: 8, gamma: 10 } });
    expect(l1.metrics['loss']).toBe('l1');
    expect(l1.metrics['finalSimilarityLoss']).toBeLessThan(1e-9);
    l1.value.dispose();
    [student, teacher, conv].forEach((m) => m.dispose());
    data.dispose();
    paired.dispose();
  });

  it('keeps the step schedule\'s multiplier (stepGamma) apart from the SP-KD weight gamma', async () => {
    const data = classificationData();
    const student = plainClassifier(1, [3, 4]);
    const teacher = plainClassifier(2, [6, 8]);
    const before = tf.memory().numTensors;
    // Were γ = 3000 the step multiplier, the third epoch would train at 0.05 · 3000² and diverge.
    const out = await runStage(OverparamPlugin, { manifests, model: student, teacher, data, options: { epochs: 3, batchSize: 8, optimizer: 'sgd', learningRate: 0.05, schedule: 'step', stepEvery: 1, stepGamma: 0.5, gamma: 3000 } });
    expect(out.metrics['epochs']).toBe(3);
    expect(Number.isFinite(out.metrics['finalLoss'] as number)).toBe(true);
    out.value.dispose();
    expect(tf.memory().numTensors).toBe(before);
    [student, teacher].forEach((m) => m.dispose());
    data.dispose();
  });

  it('hands back exactly the pruned architecture (layer names, configs, params) of a pruned ResNet after real training, without leaks; the teacher is not trained', async () => {
    const data = classificationData([12, 12, 3], 32);
    const dense = buildResNet({ depth: 8, inputShape: [12, 12, 3], numClasses: 3, width: 8, seed: 3 });
    const { value: scores } = await runStage<ScoreTable>(L1NormScore, { model: dense });
    const { value: pruned } = await runStage(UniformPrune, { model: dense, scores, options: { ratio: 0.5 } });
    const teacherWeights = dense.getWeights().map((w) => w.clone());
    const prunedWeights = pruned.getWeights().map((w) => w.clone());
    const before = tf.memory().numTensors;
    const out = await runStage(OverparamPlugin, { manifests, model: pruned, teacher: dense, data, options: { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.01, ratio: 2, depth: 1, gamma: 3000 } });
    const merged = out.value;
    expect(merged).not.toBe(pruned);
    expect(merged.layers.map((l) => l.name)).toEqual(pruned.layers.map((l) => l.name));
    expect(layerConfigs(merged)).toEqual(layerConfigs(pruned));
    expect(merged.countParams()).toBe(pruned.countParams());
    expect(merged.countParams()).toBeLessThan(dense.countParams());
    const convs = pruned.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName())).length;
    expect(out.metrics['expandedLayers']).toBe(convs);
    expect(out.metrics['similarityPairs']).toBe(convs);
    expect(out.metrics['expandedParams'] as number).toBeGreaterThan(2 * pruned.countParams());
    expect(out.metrics['epochs']).toBe(2);
    // Training moved the merged weights; the teacher's and the input model's stayed.
    const moved = tf.tidy(() => merged.getWeights().some((w, i) => tf.any(tf.greater(tf.abs(tf.sub(w, prunedWeights[i]!)), 1e-4)).dataSync()[0] === 1));
    expect(moved).toBe(true);
    const same = (a: tf.Tensor[], b: tf.Tensor[]): boolean => tf.tidy(() => a.every((w, i) => tf.max(tf.abs(tf.sub(w, b[i]!))).dataSync()[0] === 0));
    expect(same(dense.getWeights(), teacherWeights)).toBe(true);
    expect(same(pruned.getWeights(), prunedWeights)).toBe(true);
    // The returned model is the only thing left: its weights, nothing else.
    expect(tf.memory().numTensors - before).toBe(merged.weights.length);
    merged.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...teacherWeights, ...prunedWeights]);
    [dense, pruned].forEach((m) => m.dispose());
    data.dispose();
  });

  it('expands and pairs the layers the options name ("*" patterns), and refuses names that match nothing or teachers that lack them', async () => {
    const data = classificationData([12, 12, 3], 16);
    const dense = buildResNet({ depth: 8, inputShape: [12, 12, 3], numClasses: 3, width: 4, seed: 5 });
    const other = plainClassifier(3);
    const base = { ...still, batchSize: 16 };
    const before = tf.memory().numTensors;
    const chosen = await runStage(OverparamPlugin, { manifests, model: dense, teacher: dense, data, options: { ...base, layers: ['stage2_*'], pairs: ['stage*_out'] } });
    const stage2 = dense.layers.filter((l) => l.name.startsWith('stage2_') && l.getClassName() === 'Conv2D').length;
    expect(chosen.metrics['expandedLayers']).toBe(stage2);
    expect(chosen.metrics['similarityPairs']).toBe(dense.layers.filter((l) => /^stage\d_.*out$/.test(l.name)).length);
    chosen.value.dispose();
    const code = async (options: Record<string, unknown>, teacher = dense): Promise<unknown> => {
      const error = await runStage(OverparamPlugin, { manifests, model: dense, teacher, data, options: { ...base, ...options } }).then((o) => (o.value.dispose(), 'accepted'), (e: unknown) => e);
      return typeof error === 'string' ? error : (error as { code: string }).code;
    };
    expect(await code({ pairs: ['nothing_*'] })).toBe('OVERPARAM_PAIR_UNKNOWN');
    expect(await code({ layers: ['nothing'] })).toBe('EXPANSION_LAYER_UNKNOWN');
    expect(await code({ layers: ['stem_bn'] })).toBe('EXPANSION_LAYER_REFUSED');
    expect(await code({}, other)).toBe('OVERPARAM_NO_PAIRS');
    expect(await code({ pairs: ['stem_conv'] }, other)).toBe('OVERPARAM_PAIR_UNKNOWN');
    expect(await code({ gamma: 0 }, other)).toBe('accepted');
    expect(tf.memory().numTensors).toBe(before);
    [dense, other].forEach((m) => m.dispose());
    data.dispose();
  });
});
