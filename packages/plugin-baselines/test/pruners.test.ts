import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '@whittle/graph';
import { runStage, type ScoreTable, type WhittleError } from '@whittle/kernel';
import { countParams } from '@whittle/metrics';
import { buildResNet, buildSmallCnn } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { GlobalPrune, L1NormScore, RandomScore, UniformPrune } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function expectSameOutputShape(a: tf.LayersModel, b: tf.LayersModel): void {
  expect(b.outputs[0]!.shape).toEqual(a.outputs[0]!.shape);
}

describe('baseline pruners', () => {
  it('l1-norm scores each channel by its filter L1 norm, summed over a residual group', async () => {
    const before = tf.memory().numTensors;
    const model = buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 10, width: 8, seed: 1 });
    const { value: scores } = await runStage<ScoreTable>(L1NormScore, { model });
    const groups = dependencyGroups(model).filter((g) => g.prunable);
    expect([...scores.keys()].sort()).toEqual(groups.map((g) => g.id).sort());
    // By hand for one group: every producer's filter L1 norm, summed.
    const residual = groups.find((g) => g.members.filter((m) => m.role === 'producer').length > 1)!;
    const expected = new Float32Array(residual.channels);
    for (const m of residual.members.filter((x) => x.role === 'producer')) {
      const kernel = model.getLayer(m.layer).getWeights()[0]!;
      const norms = tf.tidy(() => kernel.abs().sum([0, 1, 2]).dataSync());
      norms.forEach((v, c) => (expected[c]! += v));
    }
    const got = scores.get(residual.id)!;
    got.forEach((v, c) => expect(v).toBeCloseTo(expected[c]!, 4));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uniform removes the same fraction of every group, lowest scores first, physically', async () => {
    const before = tf.memory().numTensors;
    const model = buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 10, width: 8, seed: 1 });
    const { value: scores } = await runStage<ScoreTable>(L1NormScore, { model });
    const { value: pruned, metrics } = await runStage(UniformPrune, { model, scores, options: { ratio: 0.5 } });
    expect(metrics['prunedGroups']).toBeGreaterThan(0);
    const after = new Map(dependencyGroups(pruned).map((g) => [g.id, g.channels]));
    for (const g of dependencyGroups(model).filter((x) => x.prunable)) expect(after.get(g.id)).toBe(Math.round(g.channels / 2));
    expect(countParams(pruned)).toBeLessThan(countParams(model) * 0.4);
    expectSameOutputShape(model, pruned);
    const y = tf.tidy(() => (pruned.predict(tf.ones([2, 16, 16, 3])) as tf.Tensor).sum(-1).dataSync());
    y.forEach((v) => expect(v).toBeCloseTo(1, 4));
    model.dispose();
    pruned.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uniform with roundTo keeps multiples of it', async () => {
    const model = buildSmallCnn({ inputShape: [8, 8, 1], numClasses: 3, width: 8, seed: 2 });
    const { value: scores } = await runStage<ScoreTable>(L1NormScore, { model });
    const { value: pruned } = await runStage(UniformPrune, { model, scores, options: { ratio: 0.3, roundTo: 4 } });
    for (const g of dependencyGroups(pruned).filter((x) => x.prunable)) expect(g.channels % 4).toBe(0);
    model.dispose();
    pruned.dispose();
  });

  it('global removes the lowest channels across groups and keeps minChannels everywhere', async () => {
    const model = buildSmallCnn({ inputShape: [8, 8, 1], numClasses: 3, width: 8, seed: 3 });
    const groups = dependencyGroups(model).filter((g) => g.prunable);
    // Scores that make the first group the least important by far.
    const scores = new Map(groups.map((g, i) => [g.id, Float32Array.from({ length: g.channels }, (_, c) => (i === 0 ? c * 1e-3 : 1 + c))]));
    const { value: pruned, metrics } = await runStage(GlobalPrune, { model, scores, options: { ratio: 0.2, minChannels: 2 } });
    const total = groups.reduce((n, g) => n + g.channels, 0);
    expect(metrics['removedChannels']).toBe(Math.round(total * 0.2));
    const after = new Map(dependencyGroups(pruned).map((g) => [g.id, g.channels]));
    expect(after.get(groups[0]!.id)).toBe(2);
    model.dispose();
    pruned.dispose();
    await expect(runStage(GlobalPrune, { model: buildSmallCnn({ inputShape: [8, 8, 1], numClasses: 3, width: 8, seed: 3 }), scores, options: { ratio: 0.95, minChannels: 2 } })).rejects.toMatchObject({ code: 'PRUNE_RATIO_UNREACHABLE' });
  });

  it('refuses to prune without scores, or with stale ones', async () => {
    const model = buildSmallCnn({ inputShape: [8, 8, 1], numClasses: 3, width: 8, seed: 4 });
    const missing = (await runStage(UniformPrune, { model, options: { ratio: 0.5 } }).catch((e: unknown) => e)) as WhittleError;
    expect(missing.code).toBe('SCORES_MISSING');
    expect(missing.message).toContain('Add a score stage first');
    expect(missing.message).toContain('stage "prune:uniform" prunes by score');
    const { value: scores } = await runStage<ScoreTable>(RandomScore, { model, seed: 1 });
    const { value: pruned } = await runStage(UniformPrune, { model, scores, options: { ratio: 0.5 } });
    await expect(runStage(UniformPrune, { model: pruned, scores, options: { ratio: 0.5 } })).rejects.toMatchObject({ code: 'SCORES_STALE' });
    model.dispose();
    pruned.dispose();
  });

  it('random scores are seeded', async () => {
    const model = buildSmallCnn({ inputShape: [8, 8, 1], numClasses: 3, width: 8, seed: 5 });
    const a = (await runStage<ScoreTable>(RandomScore, { model, seed: 1 })).value;
    const b = (await runStage<ScoreTable>(RandomScore, { model, seed: 1 })).value;
    const c = (await runStage<ScoreTable>(RandomScore, { model, seed: 2 })).value;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    model.dispose();
  });
});
