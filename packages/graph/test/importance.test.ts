import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, lampNormalise, magnitudeImportance, normaliseImportance, randomImportance } from '../src/index.js';

beforeAll(useWasm);

/** A 1×1 conv (cin 2) whose output filter o has every weight equal to `perFilter[o]`. */
function setConstantFilters(layer: tf.layers.Layer, perFilter: readonly number[]): void {
  const kernel = tf.tidy(() => tf.tile(tf.tensor(perFilter, [1, 1, 1, perFilter.length]), [1, 1, 2, 1]));
  const [, ...rest] = layer.getWeights();
  layer.setWeights([kernel, ...rest]);
  kernel.dispose();
}

/**
 * conv a (3 filters) → Add with conv b (3 filters) → depthwise → 1×1 conv `head`. Group `a` = {a, b,
 * the Add, the depthwise}; filter sizes are set by hand.
 */
function residualModel(a: readonly number[], b: readonly number[], depthwise: readonly number[]): tf.LayersModel {
  const x = tf.input({ shape: [4, 4, 2] });
  const ya = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'a' }).apply(x) as tf.SymbolicTensor;
  const xb = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'pre' }).apply(x) as tf.SymbolicTensor;
  const yb = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'b' }).apply(xb) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([ya, yb]) as tf.SymbolicTensor;
  const dw = tf.layers.depthwiseConv2d({ kernelSize: 1, name: 'dw', useBias: false }).apply(sum) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'head' }).apply(dw) as tf.SymbolicTensor });
  setConstantFilters(model.getLayer('a'), a);
  setConstantFilters(model.getLayer('b'), b);
  const kernel = tf.tensor(depthwise, [1, 1, 3, 1]);
  model.getLayer('dw').setWeights([kernel]);
  kernel.dispose();
  return model;
}

const close = (got: Float32Array | undefined, want: readonly number[]): void => {
  expect(got).toBeDefined();
  expect(got!.length).toBe(want.length);
  want.forEach((w, i) => expect(got![i]).toBeCloseTo(w, 6));
};

describe('normalisers', () => {
  it('LAMP matches papers.md §1 by hand: sorted ascending, s_j = m_(j) / Σ_{k ≥ j} m_(k), the largest scores 1', () => {
    // m = (1, 4, 2) sorted: 1, 2, 4 → s(1) = 1/(1+2+4), s(2) = 2/(2+4), s(4) = 4/4.
    expect(Array.from(lampNormalise([1, 4, 2]))).toEqual([1 / 7, 1, 2 / 6].map(Math.fround));
    expect(Array.from(normaliseImportance([1, 4, 2], 'lamp'))).toEqual([1 / 7, 1, 2 / 6].map(Math.fround));
  });

  it('LAMP matches the definition on random sizes', () => {
    const rng = SeededRng.from(6, 'lamp');
    for (let trial = 0; trial < 50; trial++) {
      const m = Array.from({ length: 1 + rng.int(30) }, () => rng.next() ** 3);
      const scores = lampNormalise(m);
      m.forEach((mj, j) => {
        const tail = m.filter((mk, k) => mk > mj || (mk === mj && k >= j)).reduce((a, b) => a + b, 0);
        expect(scores[j]).toBeCloseTo(mj / tail, 6);
      });
      expect(Math.max(...scores)).toBe(1);
    }
  });

  it('LAMP gives an all-zero vector a single score-1 entry', () => {
    expect(Array.from(lampNormalise([0, 0, 0]))).toEqual([0, 0, 1]);
  });

  it('none, mean, max and sum rescale as Torch-Pruning\'s normalizers; zeros stay zero', () => {
    expect(Array.from(normaliseImportance([1, 4, 3], 'none'))).toEqual([1, 4, 3]);
    expect(Array.from(normaliseImportance([1, 4, 3], 'max'))).toEqual([0.25, 1, 0.75]);
    expect(Array.from(normaliseImportance([1, 4, 3], 'sum'))).toEqual([0.125, 0.5, 0.375]);
    expect(Array.from(normaliseImportance([1, 4, 1], 'mean'))).toEqual([0.5, 2, 0.5]);
    expect(Array.from(normaliseImportance([0, 0], 'max'))).toEqual([0, 0]);
  });
});

describe('magnitudeImportance', () => {
  it('builds L1, L2², reductions, members and normalisers from parts on a hand-set residual group', async () => {
    const model = residualModel([1, 2, 3], [3, 1, 0.5], [2, 1, 1]);
    await withoutLeaks(async () => {
      const group = dependencyGroups(model).find((g) => g.id === 'a')!;
      expect(group.prunable).toBe(true);
      const of = async (spec: Parameters<typeof magnitudeImportance>[2]) => (await magnitudeImportance(model, [group], spec)).get('a');
      // Each filter has 2 weights (1×1, cin 2): L1 = 2|w|, L2² = 2w².
      const a1 = [2, 4, 6];
      const b1 = [6, 2, 1];
      close(await of({ norm: 'l1' }), a1.map((v, c) => v + b1[c]!));
      close(await of({ norm: 'l2sq' }), [2 + 18, 8 + 2, 18 + 0.5]);
      close(await of({ norm: 'l1', reduction: 'max' }), [6, 4, 6]);
      close(await of({ norm: 'l1', reduction: 'mean' }), [4, 3, 3.5]);
      // The depthwise conv writes the channels too (1 weight per channel): counted only as a writer.
      close(await of({ norm: 'l1', members: 'writers' }), [8 + 2, 6 + 1, 7 + 1]);
      // Normalising the group: the reduced L1 is (8, 6, 7).
      close(await of({ norm: 'l1', normaliser: 'max' }), [1, 6 / 8, 7 / 8]);
      close(await of({ norm: 'l1', normaliser: 'lamp' }), [1, 6 / 21, 7 / 15]);
      // Normalising each member first (SP-LAMP): LAMP of a = (2,4,6) → (2/12, 4/10, 1); of b = (6,2,1) → (1, 2/8, 1/9); max or mean per channel.
      close(await of({ norm: 'l1', normaliser: 'lamp', normaliseAt: 'member', reduction: 'max' }), [1, 4 / 10, 1]);
      close(await of({ norm: 'l1', normaliser: 'lamp', normaliseAt: 'member', reduction: 'mean' }), [(2 / 12 + 1) / 2, (4 / 10 + 2 / 8) / 2, (1 + 1 / 9) / 2]);
    });
    model.dispose();
  });

  it('folds the following BatchNormalization into the filter sizes when asked', async () => {
    const x = tf.input({ shape: [4, 4, 2] });
    const c = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c' }).apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn', epsilon: 0 }).apply(c) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'head' }).apply(bn) as tf.SymbolicTensor });
    setConstantFilters(model.getLayer('c'), [1, 1]);
    const bnWeights = [tf.tensor([3, 1]), tf.zeros([2]), tf.zeros([2]), tf.tensor([1, 4])]; // gamma, beta, mean, variance
    model.getLayer('bn').setWeights(bnWeights);
    bnWeights.forEach((t) => t.dispose());
    const groups = dependencyGroups(model).filter((g) => g.id === 'c');
    // scale = |γ| / sqrt(var): (3, 0.5); L1 scales by it.
    close((await magnitudeImportance(model, groups, { norm: 'l1', foldBatchNorm: true })).get('c'), [6, 1]);
    close((await magnitudeImportance(model, groups, { norm: 'l1' })).get('c'), [2, 2]);
    model.dispose();
  });
});

describe('randomImportance', () => {
  it('draws one seeded number per channel, group after group', () => {
    const groups = [{ id: 'g', channels: 3, members: [], prunable: true, blockedBy: [] }, { id: 'h', channels: 2, members: [], prunable: true, blockedBy: [] }];
    const a = randomImportance(groups, SeededRng.from(1, 's'));
    expect(randomImportance(groups, SeededRng.from(1, 's'))).toEqual(a);
    expect(randomImportance(groups, SeededRng.from(2, 's'))).not.toEqual(a);
    const rng = SeededRng.from(1, 's');
    expect([...a.values()].flatMap((s) => Array.from(s))).toEqual(Array.from({ length: 5 }, () => Math.fround(rng.next())));
  });
});
