import * as tf from '@tensorflow/tfjs';
import { bypassBlock } from '@whittle/graph';
import { registerWasmGradients } from '@whittle/engine';
import { runStage, SeededRng } from '@whittle/kernel';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  absorbRemovedConvs, blockKey, branchLayers, SdIncubationPlugin, featurePairs, incubationModule, NoiseSchedule, removeBlocks, swapToGri, trainSlimUNet, withFeatures,
} from '../src/index.js';
import { maxAbsDiff, roundTrip, tinyUNet, unetInputs } from './helpers/tiny-unet.js';
import { tinyDiffusionData } from './helpers/tiny-data.js';

const temp = new TempDir('whittle-sd-slim-slimming-');
afterAll(() => temp.cleanup());
beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

const MID_RES1 = { from: 'mid_attn_cross_add', to: 'mid_res1_add' };

describe('block removal, incubation modules and feature pairs', () => {
  it('removeBlocks chains removals whose start was removed before, and equals bypassing one by one', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      const blocks = [{ from: 'mid_attn_self_add', to: 'mid_attn_cross_add' }, MID_RES1];
      const { model: slim, removed } = await removeBlocks(model, blocks);
      expect(removed[1]).toEqual({ from: 'mid_attn_self_add', to: 'mid_res1_add' });
      const first = await bypassBlock(model, blocks[0]!);
      const second = await bypassBlock(first, removed[1]!);
      const inputs = unetInputs(2);
      const [a, b] = [slim.predict(inputs) as tf.Tensor, second.predict(inputs) as tf.Tensor];
      expect(maxAbsDiff(a, b)).toBe(0);
      tf.dispose([...inputs, a, b]);
      [slim, first, second].forEach((m) => m.dispose());
    });
    model.dispose();
  });

  it('branchLayers lists what a block removes; incubationModule stops at the next stage boundary', async () => {
    const model = tinyUNet();
    expect(branchLayers(model, MID_RES1)).toEqual(expect.arrayContaining(['mid_res1_norm1', 'mid_res1_conv1', 'mid_res1_temb_add', 'mid_res1_conv2']));
    expect(branchLayers(model, MID_RES1)).not.toContain('mid_attn_cross_add');
    const { model: slim } = await removeBlocks(model, [MID_RES1]);
    const module = incubationModule(slim, 'mid_attn_cross_add');
    expect(module).toEqual(expect.arrayContaining(['mid_res0_conv1', 'mid_attn_self_attn', 'mid_attn_cross_attn', 'mid_attn_cross_add']));
    for (const outside of ['up1_concat0', 'up1_res0_conv1', 'down1_attn0_cross_add', 'time_dense2', 'class_embedding', 'mid_res0_temb']) expect(module).not.toContain(outside);
    expect(module.every((name) => slim.layers.some((l) => l.name === name))).toBe(true);
    slim.dispose();
    model.dispose();
  });

  it('featurePairs matches stage boundaries through their consumer, so a removed block pairs with its teacher output', async () => {
    const model = tinyUNet();
    const { model: slim } = await removeBlocks(model, [MID_RES1]);
    const pairs = featurePairs(model, slim);
    expect(pairs.length).toBeGreaterThan(2);
    const atUp = pairs.find((p) => p.consumer === 'up1_concat0' && p.input === 0);
    expect(atUp?.teacher.layer).toBe('mid_res1_add');
    expect(atUp?.student.layer).toBe('mid_attn_cross_add');
    await withoutLeaks(() => {
      const inputs = unetInputs(1);
      const outs = withFeatures(slim, pairs.map((p) => p.student)).predict(inputs) as tf.Tensor[];
      expect(outs).toHaveLength(pairs.length + 1);
      tf.dispose([...inputs, ...outs]);
    });
    slim.dispose();
    model.dispose();
  });
});

describe('CLME-CondConv and GRI as drop-ins after removal', () => {
  it('absorbing the removed convolutions leaves the slim model\'s function unchanged (≤ 1e-5), and it saves and loads', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      const { model: slim, removed } = await removeBlocks(model, [MID_RES1]);
      const { model: cond, assignments } = await absorbRemovedConvs(model, slim, removed);
      expect(assignments.flatMap((a) => a.experts).sort()).toEqual(['mid_res1_conv1', 'mid_res1_conv2']);
      for (const a of assignments) expect(cond.getLayer(a.kept).getClassName()).toBe('CondConv2D');
      const inputs = unetInputs(3);
      const [a, b] = [slim.predict(inputs) as tf.Tensor, cond.predict(inputs) as tf.Tensor];
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
      const loaded = await roundTrip(cond, temp, 'cond');
      const c = loaded.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(b, c)).toBe(0);
      tf.dispose([...inputs, a, b, c]);
      [slim, cond, loaded].forEach((m) => m.dispose());
    });
    model.dispose();
  });

  it('swapToGri replaces only self-attention on maps larger than the window', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      const none = await swapToGri(model, { window: 4, poolStride: 2 });
      expect(none.replaced).toEqual([]);
      expect(none.model).toBe(model);
      const { model: gri, replaced } = await swapToGri(model, { window: 2, poolStride: 2 });
      expect(replaced.sort()).toEqual(model.layers.filter((l) => l.getClassName() === 'SpatialSelfAttention').map((l) => l.name).sort());
      for (const name of replaced) expect(gri.getLayer(name).getClassName()).toBe('GriAttention');
      const inputs = unetInputs(2);
      const out = gri.predict(inputs) as tf.Tensor;
      expect(out.shape).toEqual([2, 8, 8, 1]);
      tf.dispose([...inputs, out]);
      gri.dispose();
    });
    model.dispose();
  });
});

describe('trainSlimUNet', () => {
  it('with `trainable` updates only those layers; all four loss terms train; no tensor leaks', async () => {
    const teacher = tinyUNet(1);
    const { model: student } = await removeBlocks(teacher, [MID_RES1]);
    const data = tinyDiffusionData();
    const trainable = incubationModule(student, 'mid_attn_cross_add').filter((n) => student.getLayer(n).trainableWeights.length > 0);
    const before = new Map(student.layers.map((l) => [l.name, l.getWeights().map((w) => w.clone())]));
    const schedule = NoiseSchedule.create({ kind: 'cosine', steps: 100 });
    const { FrechetFeatureExtractor } = await import('@whittle/metrics');
    const extractor = await FrechetFeatureExtractor.load();
    await withoutLeaks(() => {
      const result = trainSlimUNet(student, { images: data.train.x, labels: data.train.y, schedule, teacher, extractor }, {
        steps: 2, batchSize: 4, learningRate: 1e-2, labelDropout: 0.1, weights: { task: 1, output: 1, feature: 1, semantic: 1 }, trainable,
      }, SeededRng.from(1));
      expect(result.featurePairs).toBeGreaterThan(0);
      for (const term of ['task', 'output', 'feature', 'semantic'] as const) expect(result.finalLoss[term]).toBeGreaterThan(0);
    });
    for (const layer of student.layers) {
      const old = before.get(layer.name)!;
      const changed = layer.getWeights().some((w, i) => maxAbsDiff(w, old[i]!) > 0);
      expect(changed, layer.name).toBe(trainable.includes(layer.name));
    }
    tf.dispose([...before.values()].flat());
    extractor.dispose();
    data.dispose();
    student.dispose();
    teacher.dispose();
  });

  it('with emaDecay ends on the moving average of its iterates (from the starting weights), not on the last iterate; no leaks', async () => {
    const model = tinyUNet(2);
    const data = tinyDiffusionData();
    const schedule = NoiseSchedule.create({ kind: 'cosine', steps: 100 });
    const layer = model.getLayer('mid_res0_conv1');
    const decay = 0.5;
    let expected = layer.getWeights()[0]!.clone();
    let last: Float32Array | undefined;
    await withoutLeaks(() => {
      trainSlimUNet(model, { images: data.train.x, labels: data.train.y, schedule }, {
        steps: 3, batchSize: 4, learningRate: 1e-2, labelDropout: 0, weights: { task: 1, output: 0, feature: 0, semantic: 0 }, emaDecay: decay,
      }, SeededRng.from(4), () => {
        const w = layer.trainableWeights[0]!.read() as tf.Tensor;
        const next = tf.tidy(() => tf.add(tf.mul(expected, decay), tf.mul(w, 1 - decay)));
        expected.dispose();
        expected = next;
        last = w.dataSync() as Float32Array;
      });
    });
    const final = layer.getWeights()[0]!;
    expect(maxAbsDiff(final, expected)).toBeLessThanOrEqual(1e-6);
    const lastIterate = tf.tensor(last!, final.shape);
    expect(maxAbsDiff(final, lastIterate)).toBeGreaterThan(1e-4);
    tf.dispose([expected, lastIterate]);
    data.dispose();
    model.dispose();
  });
});

describe('sd-incubation with condConv', () => {
  it('gives CondConv experts when a residual block goes, none (and says why) when only attention blocks go', async () => {
    const model = tinyUNet();
    const data = tinyDiffusionData();
    const run = async (blocks: { from: string; to: string }[]) => {
      const scores = new Map(blocks.map((b, i) => [blockKey(b), Float32Array.from([i, 0, 1, 10])]));
      const { value, metrics } = await runStage<tf.LayersModel>(SdIncubationPlugin, { model, scores, data, seed: 1, options: { blocks: blocks.length, stages: 1, incubationSteps: 0, condConv: true } });
      value.dispose();
      return metrics;
    };
    const withRes = await run([MID_RES1]);
    expect(withRes['condConvExperts']).toBe(2);
    expect(withRes['condConvNote']).toBeUndefined();
    const attentionOnly = await run([{ from: 'mid_res0_add', to: 'mid_attn_self_add' }, { from: 'mid_attn_self_add', to: 'mid_attn_cross_add' }]);
    expect(attentionOnly['condConvExperts']).toBe(0);
    expect(String(attentionOnly['condConvNote'])).toMatch(/attention blocks have none/);
    data.dispose();
    model.dispose();
  });
});

describe('sd-incubation in stages', () => {
  it('removes a block whose start an earlier stage removed (chained blocks split across stages), equal to removing them at once', async () => {
    const model = tinyUNet();
    const data = tinyDiffusionData();
    // The second block starts at the first one's merge: stage 1 removes that merge, stage 2 must start from its `from`.
    const blocks = [{ from: 'mid_attn_self_add', to: 'mid_attn_cross_add' }, MID_RES1];
    const scores = new Map(blocks.map((b, i) => [blockKey(b), Float32Array.from([i, 0, 1, 10])]));
    await withoutLeaks(async () => {
      const { value, metrics } = await runStage<tf.LayersModel>(SdIncubationPlugin, { model, scores, data, seed: 1, options: { blocks: 2, stages: 2, incubationSteps: 0 } });
      expect(metrics['stages']).toBe(2);
      expect(metrics['removedBlocks']).toBe(2);
      const { model: atOnce } = await removeBlocks(model, blocks);
      const inputs = unetInputs(2);
      const [a, b] = [value.predict(inputs) as tf.Tensor, atOnce.predict(inputs) as tf.Tensor];
      expect(maxAbsDiff(a, b)).toBe(0);
      tf.dispose([...inputs, a, b]);
      [value, atOnce].forEach((m) => m.dispose());
    });
    data.dispose();
    model.dispose();
  });
});

describe('sd-incubation with latencyTarget', () => {
  it('removes the fewest ranked blocks whose measured removal reaches the target and records the measurement; an unreachable target removes all ranked blocks', async () => {
    const model = tinyUNet();
    const data = tinyDiffusionData();
    const blocks = [{ from: 'mid_attn_self_add', to: 'mid_attn_cross_add' }, MID_RES1];
    const scores = new Map(blocks.map((b, i) => [blockKey(b), Float32Array.from([i, 0, 1, 10])]));
    const run = async (latencyTarget: number) => {
      const { value, metrics } = await runStage<tf.LayersModel>(SdIncubationPlugin, { model, scores, data, seed: 1, options: { latencyTarget, latencyRuns: 3, latencyWindows: 2, stages: 1, incubationSteps: 0 } });
      value.dispose();
      return metrics;
    };
    const far = await run(0.95);
    expect(far['plannedBlocks']).toBe(2);
    expect(far['removedBlocks']).toBe(2);
    expect(Number(far['plannedSavingFraction'])).toBeLessThan(0.95);
    expect(Number(far['plannedSavingFraction'])).toBeCloseTo(1 - Number(far['plannedSlimMs']) / Number(far['plannedFullMs']), 9);
    const easy = await run(0.001);
    expect(easy['removedBlocks']).toBe(easy['plannedBlocks']);
    expect([1, 2]).toContain(easy['plannedBlocks']);
    data.dispose();
    model.dispose();
  });
});
