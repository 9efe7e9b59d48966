import * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '@whittle/graph';
import { runStage, type ScoreTable } from '@whittle/kernel';
import { buildResNet } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormScale, filterMagnitudes } from '@whittle/graph';
import { SpLampScorePlugin } from '../../src/score/sp-lamp-score-plugin.js';
import { spLampScores } from '../../src/score/sp-lamp-scores.js';
import { withoutLeaks } from '@whittle/testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A conv kernel [1, 1, cin, cout] whose output filter o has every weight equal to `perFilter[o]`. */
function constantFilters(cin: number, perFilter: readonly number[]): tf.Tensor {
  return tf.tidy(() => tf.tile(tf.tensor(perFilter, [1, 1, 1, perFilter.length]), [1, 1, cin, 1]));
}

function setKernel(layer: tf.layers.Layer, kernel: tf.Tensor): void {
  const [, ...rest] = layer.getWeights();
  layer.setWeights([kernel, ...rest]);
  kernel.dispose();
}

/** Moves `axis` to the end and flattens the rest: rows are weights, columns are filters. */
function filtersAsColumns(kernel: tf.Tensor, axis: number): tf.Tensor2D {
  const perm = [...Array(kernel.rank).keys()].filter((a) => a !== axis).concat(axis);
  return tf.transpose(kernel, perm).reshape([-1, kernel.shape[axis]!]) as tf.Tensor2D;
}

describe('filterMagnitudes', () => {
  it('measures each output filter on the right kernel axis for every weighted layer kind', async () => {
    const x = tf.input({ shape: [6, 6, 3] });
    let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.separableConv2d({ filters: 5, kernelSize: 1, name: 'sep' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2dTranspose({ filters: 6, kernelSize: 3, name: 'convT' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: 3, name: 'dense' }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    // Filter axis per layer: transposed kernels are [kh, kw, filters, in]; depthwise [kh, kw, in·m] after flattening.
    const expectations: [string, string, number][] = [['conv', 'kernel', 3], ['sep', 'pointwise_kernel', 3], ['convT', 'kernel', 2], ['dense', 'kernel', 1], ['dw', 'depthwise_kernel', 2]];
    await withoutLeaks(async () => {
      for (const [name, weight, axis] of expectations) {
        const layer = model.getLayer(name);
        const kernel = layer.weights.find((w) => w.originalName.endsWith(`/${weight}`))!.read();
        const reference = tf.tidy(() => {
          const k = name === 'dw' ? kernel.reshape([kernel.shape[0]!, kernel.shape[1]!, -1]) : kernel;
          const columns = filtersAsColumns(k, axis);
          return [tf.sum(tf.square(columns), 0), tf.sum(tf.abs(columns), 0)];
        });
        const [l2, l1] = await Promise.all(reference.map((t) => t.data()));
        tf.dispose(reference);
        const ours2 = (await filterMagnitudes(layer, 'l2sq'))!;
        const ours1 = (await filterMagnitudes(layer, 'l1'))!;
        expect(ours2.length, name).toBe(l2!.length);
        ours2.forEach((v, o) => expect(v, `${name} l2sq filter ${o}`).toBeCloseTo(l2![o]!, 4));
        ours1.forEach((v, o) => expect(v, `${name} l1 filter ${o}`).toBeCloseTo(l1![o]!, 4));
      }
      expect(await filterMagnitudes(model.layers[0]!, 'l1')).toBeUndefined();
    });
    model.dispose();
  });
});

/** input → (convA, convB) → Add → convOut → GAP → softmax dense: one residual-like group of 3 channels. */
function residualModel(): tf.LayersModel {
  const x = tf.input({ shape: [4, 4, 2], name: 'image' });
  const a = tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: false, name: 'convA' }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: false, name: 'convB' }).apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([a, b]) as tf.SymbolicTensor;
  const out = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'convOut' }).apply(sum) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(out) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 2, activation: 'softmax', name: 'fc' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'residual' });
}

describe('spLampScores', () => {
  it('LAMP-normalises each producer and combines coupled producers per channel (max, or mean)', async () => {
    const model = residualModel();
    setKernel(model.getLayer('convA'), constantFilters(2, [1, 2, 3])); // ‖F‖² = 2, 8, 18
    setKernel(model.getLayer('convB'), constantFilters(2, [3, 1, 2])); // ‖F‖² = 18, 2, 8
    const group = dependencyGroups(model).find((g) => g.members.some((m) => m.layer === 'convB' && m.role === 'producer'))!;
    const [max, mean] = await withoutLeaks(async () => [await spLampScores(model), await spLampScores(model, { combine: 'mean' })]);
    const a = [2 / 28, 8 / 26, 1];
    const b = [1, 2 / 28, 8 / 26];
    expect(Array.from(max.get(group.id)!)).toEqual(a.map((s, c) => Math.fround(Math.max(s, b[c]!))));
    Array.from(mean.get(group.id)!).forEach((s, c) => expect(s).toBeCloseTo((a[c]! + b[c]!) / 2, 6));
    // The softmax classifier's group feeds the model output: not prunable, so not scored.
    expect([...max.keys()].sort()).toEqual(dependencyGroups(model).filter((g) => g.prunable).map((g) => g.id).sort());
    model.dispose();
  });

  it('folds the following BatchNorm\'s |γ|/sqrt(var + ε) into the filter size when asked', async () => {
    const x = tf.input({ shape: [4, 4, 2] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: false, name: 'conv' }).apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn', epsilon: 1e-3 }).apply(conv) as tf.SymbolicTensor;
    const next = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'next' }).apply(bn) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.flatten().apply(next) as tf.SymbolicTensor });
    setKernel(model.getLayer('conv'), constantFilters(2, [1, 1, 1]));
    const bnLayer = model.getLayer('bn');
    const bnWeights = [tf.tensor1d([1, -2, 3]), tf.zeros([3]), tf.zeros([3]), tf.tensor1d([1 - 1e-3, 1 - 1e-3, 4 - 1e-3])];
    bnLayer.setWeights(bnWeights);
    tf.dispose(bnWeights);
    const scale = await batchNormScale(bnLayer);
    Array.from(scale).forEach((s, c) => expect(s).toBeCloseTo([1, 2, 1.5][c]!, 5));
    const [plain, folded, foldedL1] = await withoutLeaks(async () => [
      (await spLampScores(model)).get('conv')!, (await spLampScores(model, { foldBatchNorm: true })).get('conv')!, (await spLampScores(model, { foldBatchNorm: true, norm: 'l1' })).get('conv')!,
    ]);
    expect(Array.from(plain)).toEqual([1 / 3, 1 / 2, 1].map(Math.fround)); // equal filters: ties keep their order
    // Folded sizes 2·[1, 4, 2.25] (l2sq) and 2·[1, 2, 1.5] (l1).
    Array.from(folded).forEach((s, c) => expect(s).toBeCloseTo([2 / 14.5, 1, 4.5 / 12.5][c]!, 5));
    Array.from(foldedL1).forEach((s, c) => expect(s).toBeCloseTo([2 / 9, 1, 3 / 7][c]!, 5));
    model.dispose();
  });

  it('scores every prunable group of a ResNet-20 with one channel at 1 and all in (0, 1]', async () => {
    const model = buildResNet({ depth: 20, width: 8, inputShape: [16, 16, 3], numClasses: 10, seed: 3 });
    const scores = await withoutLeaks(() => spLampScores(model));
    const prunable = dependencyGroups(model).filter((g) => g.prunable);
    expect(prunable.length).toBeGreaterThan(5);
    expect([...scores.keys()].sort()).toEqual(prunable.map((g) => g.id).sort());
    for (const group of prunable) {
      const s = scores.get(group.id)!;
      expect(s.length).toBe(group.channels);
      expect(Math.max(...s)).toBe(1);
      expect(Math.min(...s)).toBeGreaterThan(0);
    }
    model.dispose();
  });
});

describe('score stage "sp-lamp"', () => {
  it('returns the SP-LAMP table for the stage\'s options and records what it scored', async () => {
    const model = residualModel();
    const { value, metrics } = await withoutLeaks(() => runStage<ScoreTable>(SpLampScorePlugin, { model, options: { norm: 'l1', combine: 'mean' } }));
    expect(value).toEqual(await spLampScores(model, { norm: 'l1', combine: 'mean' }));
    expect(metrics).toEqual({ scoredGroups: 2, scoredChannels: 5 });
    await expect(runStage(SpLampScorePlugin, { model, options: { norm: 'l3' } })).rejects.toThrowError(/must be one of "l2sq", "l1"/);
    model.dispose();
  });
});
