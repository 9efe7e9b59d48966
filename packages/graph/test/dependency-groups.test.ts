import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, memberIndices, pruneChannels, type DependencyGroup } from '../src/index.js';
import { useWasm } from '@whittle/testing';
import { randomInputs, relativeError } from './helpers/compare-outputs.js';
import { randomiseWeights } from './helpers/random-weights.js';
import { referenceWithoutChannels } from './helpers/reference-model.js';

const conv = (x: tf.SymbolicTensor, filters: number, name: string): tf.SymbolicTensor =>
  tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name }).apply(x) as tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
const head = (x: tf.SymbolicTensor): tf.SymbolicTensor =>
  apply(tf.layers.dense({ units: 2, name: 'head' }), apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), x));
const groupOf = (groups: DependencyGroup[], layer: string): DependencyGroup => {
  const found = groups.find((g) => g.members.some((m) => m.layer === layer && m.role === 'producer'));
  if (found === undefined) throw new Error(`no group produced by ${layer}`);
  return found;
};

/** Prunes `plan` and checks the pruned model against the zeroed-consumer reference. */
async function expectFaithful(model: tf.LayersModel, plan: Map<string, number[]>): Promise<tf.LayersModel> {
  randomiseWeights(model, 1);
  const groups = dependencyGroups(model);
  const pruned = await pruneChannels(model, plan);
  const reference = await referenceWithoutChannels(model, groups, plan);
  const inputs = randomInputs(model, 2);
  expect(relativeError(pruned, reference, inputs)).toBeLessThanOrEqual(1e-4);
  tf.dispose(inputs);
  reference.dispose();
  return pruned;
}

const models: tf.LayersModel[] = [];
const keep = (m: tf.LayersModel): tf.LayersModel => (models.push(m), m);

describe('dependencyGroups', () => {
  beforeAll(useWasm);
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));

  it('a conv with its BatchNorm, activation and next conv is one group; roles and ids follow the producer', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'in' });
    const a = apply(tf.layers.reLU({ name: 'relu' }), apply(tf.layers.batchNormalization({ name: 'bn' }), conv(x, 4, 'a')));
    const model = keep(tf.model({ inputs: x, outputs: head(conv(a, 5, 'b')) }));
    const group = groupOf(dependencyGroups(model), 'a');
    expect(group).toMatchObject({ id: 'a', channels: 4, prunable: true, blockedBy: [] });
    expect(group.members.map((m) => [m.layer, m.role])).toEqual([['a', 'producer'], ['bn', 'passthrough'], ['relu', 'passthrough'], ['b', 'consumer']]);
    const input = dependencyGroups(model).find((g) => g.id === 'in');
    expect(input?.prunable).toBe(false);
    expect(input?.blockedBy).toEqual(['model input "in"']);
    expect(groupOf(dependencyGroups(model), 'head').blockedBy).toEqual(['feeds model output "head"']);
  });

  it('branches joined by Add form ONE group; Concatenate gives its consumers offsets', async () => {
    const x = tf.input({ shape: [8, 8, 3] });
    const sum = apply(tf.layers.add({ name: 'sum' }), [conv(x, 4, 'p'), conv(x, 4, 'q')]);
    const cat = apply(tf.layers.concatenate({ name: 'cat' }), [sum, conv(x, 3, 'r')]);
    const model = keep(tf.model({ inputs: x, outputs: head(conv(cat, 2, 'c')) }));
    const groups = dependencyGroups(model);
    const pq = groupOf(groups, 'p');
    expect(groupOf(groups, 'q')).toBe(pq);
    expect(pq.channels).toBe(4);
    expect(groupOf(groups, 'r').members.find((m) => m.layer === 'c')).toEqual({ layer: 'c', role: 'consumer', offset: 4 });
    keep(await expectFaithful(model, new Map([['p', [1, 3]], ['r', [0]]])));
  });

  it('DepthwiseConv2D: a pruned input channel removes its `multiplier` outputs', async () => {
    const x = tf.input({ shape: [8, 8, 3] });
    const dw = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw' }), conv(x, 4, 'a'));
    const model = keep(tf.model({ inputs: x, outputs: head(conv(dw, 2, 'c')) }));
    const group = groupOf(dependencyGroups(model), 'a');
    expect(group.members.find((m) => m.layer === 'c')).toEqual({ layer: 'c', role: 'consumer', offset: 0, multiplier: 2 });
    const pruned = keep(await expectFaithful(model, new Map([['a', [2]]])));
    expect(pruned.getLayer('dw').outputShape).toEqual([null, 8, 8, 6]);
    expect(pruned.getLayer('c').getWeights()[0]?.shape).toEqual([3, 3, 6, 2]);
  });

  it('Flatten → Dense: a channel owns the strided set of flattened features (channels-last)', async () => {
    const x = tf.input({ shape: [4, 4, 3] });
    const flat = apply(tf.layers.flatten({ name: 'flat' }), conv(x, 5, 'a'));
    const model = keep(tf.model({ inputs: x, outputs: apply(tf.layers.dense({ units: 2, name: 'fc' }), flat) }));
    const fc = groupOf(dependencyGroups(model), 'a').members.find((m) => m.layer === 'fc');
    expect(fc).toEqual({ layer: 'fc', role: 'consumer', offset: 0, stride: 5, positions: 16 });
    expect(memberIndices(fc!, 2).slice(0, 3)).toEqual([2, 7, 12]);
    const pruned = keep(await expectFaithful(model, new Map([['a', [0, 4]]])));
    expect(pruned.getLayer('fc').getWeights()[0]?.shape).toEqual([48, 2]);
  });

  it('Dense → Reshape to an image: each channel owns the strided set of dense units', async () => {
    const z = tf.input({ shape: [6] });
    const seed = apply(tf.layers.reshape({ targetShape: [4, 4, 3], name: 'unflatten' }), apply(tf.layers.dense({ units: 48, name: 'project' }), z));
    const model = keep(tf.model({ inputs: z, outputs: head(conv(seed, 2, 'c')) }));
    const group = groupOf(dependencyGroups(model), 'project');
    expect(group.channels).toBe(3);
    expect(group.members[0]).toEqual({ layer: 'project', role: 'producer', offset: 0, stride: 3, positions: 16 });
    const pruned = keep(await expectFaithful(model, new Map([['project', [1]]])));
    expect(pruned.getLayer('unflatten').outputShape).toEqual([null, 4, 4, 2]);
  });

  it('Conv2DTranspose (kernel [kh, kw, out, in]) and SeparableConv2D are sliced on the right axes', async () => {
    const x = tf.input({ shape: [8, 8, 3] });
    const up = apply(tf.layers.conv2dTranspose({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', name: 't' }), conv(x, 4, 'a'));
    const sep = apply(tf.layers.separableConv2d({ filters: 6, kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 's' }), up);
    const model = keep(tf.model({ inputs: x, outputs: head(sep) }));
    const pruned = keep(await expectFaithful(model, new Map([['a', [0]], ['t', [1, 2]], ['s', [5]]])));
    expect(pruned.getLayer('t').getWeights()[0]?.shape).toEqual([3, 3, 3, 3]);
    expect(pruned.getLayer('s').getWeights().map((w) => w.shape)).toEqual([[3, 3, 3, 2], [1, 1, 6, 5], [5]]);
  });

  it('a shared layer couples the channels of all its calls', async () => {
    const x = tf.input({ shape: [8, 8, 3] });
    const shared = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'shared' });
    const y = apply(tf.layers.add({ name: 'join' }), [apply(shared, conv(x, 4, 'p')), apply(shared, conv(x, 4, 'q'))]);
    const model = keep(tf.model({ inputs: x, outputs: head(y) }));
    const groups = dependencyGroups(model);
    expect(groupOf(groups, 'p')).toBe(groupOf(groups, 'q'));
    keep(await expectFaithful(model, new Map([['p', [0, 2]], ['shared', [1]]])));
  });

  it('a Sequential model is pruned and stays a Sequential', async () => {
    const model = keep(tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, name: 'c1' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 3, name: 'fc' }),
    ] }));
    const pruned = keep(await expectFaithful(model, new Map([['c1', [1, 2]]])));
    expect(pruned).toBeInstanceOf(tf.Sequential);
    expect(pruned.getLayer('fc').getWeights()[0]?.shape).toEqual([32, 3]);
  });

  it('what the graph cannot follow makes the touching groups unprunable, with reasons', () => {
    class Scale extends tf.layers.Layer {
      static className = 'WhittleTestScale';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, 2);
      }
    }
    tf.serialization.registerClass(Scale);
    const x = tf.input({ shape: [8, 8, 3] });
    const soft = apply(tf.layers.activation({ activation: 'softmax', name: 'soft' }), conv(x, 4, 'a'));
    const norm = apply(tf.layers.layerNormalization({ name: 'ln' }), conv(soft, 4, 'b'));
    const custom = apply(new Scale({ name: 'custom' }), conv(norm, 4, 'c'));
    const permuted = apply(tf.layers.permute({ dims: [3, 1, 2], name: 'perm' }), conv(custom, 4, 'd'));
    const fine = conv(x, 4, 'e');
    const model = keep(tf.model({ inputs: x, outputs: [apply(tf.layers.dense({ units: 2, name: 'head' }), apply(tf.layers.flatten({ name: 'flat' }), permuted)), head2(fine)] }));
    const groups = dependencyGroups(model);
    expect(groupOf(groups, 'a').blockedBy).toEqual(['layer "soft" (Activation softmax) normalises over the channels']);
    expect(groupOf(groups, 'b').blockedBy).toEqual(['layer "ln" (LayerNormalization) normalises over the channels']);
    expect(groupOf(groups, 'c').blockedBy).toEqual(['layer "custom" (WhittleTestScale) is not supported by the graph']);
    expect(groupOf(groups, 'd').blockedBy).toEqual(['layer "perm" (Permute) moves the channel axis']);
    expect(groupOf(groups, 'e').prunable).toBe(true);
  });
});

describe('dependencyGroups never crashes', () => {
  beforeAll(useWasm);
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));

  it('recurrent, embedding and nested-model layers block only their own groups; the rest still prunes', async () => {
    const tokens = tf.input({ shape: [5], name: 'tokens' });
    const seq = apply(tf.layers.lstm({ units: 4, name: 'lstm' }), apply(tf.layers.embedding({ inputDim: 10, outputDim: 3, name: 'embed' }), tokens));
    const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ inputShape: [6], units: 5, name: 'inner_fc' })] });
    const fc = apply(tf.layers.dense({ units: 6, name: 'fc' }), seq);
    const model = keep(tf.model({ inputs: tokens, outputs: apply(tf.layers.dense({ units: 2, name: 'out' }), apply(inner as unknown as tf.layers.Layer, fc)) }));
    const groups = dependencyGroups(model);
    expect(groupOf(groups, 'embed').blockedBy).toEqual(['layer "embed" (Embedding) is not supported by the graph', 'layer "lstm" (LSTM) is not supported by the graph']);
    expect(groupOf(groups, 'fc').blockedBy).toEqual(['layer "inner" is a nested model; pruning does not look inside nested models']);
    expect(groupOf(groups, 'lstm').prunable).toBe(false);
    const tokens2 = tf.input({ shape: [5], name: 'tokens' });
    const seq2 = apply(tf.layers.lstm({ units: 4, name: 'lstm' }), apply(tf.layers.embedding({ inputDim: 10, outputDim: 3, name: 'embed' }), tokens2));
    const plain = keep(tf.model({ inputs: tokens2, outputs: apply(tf.layers.dense({ units: 2, name: 'out2' }), apply(tf.layers.dense({ units: 6, name: 'fc2' }), seq2)) }));
    const pruned = keep(await pruneChannels(plain, new Map([['fc2', [0, 5]]])));
    expect(pruned.getLayer('fc2').getWeights()[0]?.shape).toEqual([4, 4]);
    expect(pruned.getLayer('lstm').getWeights().map((w) => w.shape)).toEqual(plain.getLayer('lstm').getWeights().map((w) => w.shape));
    // A prunable group before a nested model: the nested model's weights are carried over untouched.
    const x = tf.input({ shape: [4], name: 'x' });
    const nested = tf.sequential({ name: 'nested', layers: [tf.layers.dense({ inputShape: [6], units: 3, name: 'nested_fc' })] });
    const withNested = keep(tf.model({ inputs: x, outputs: apply(nested as unknown as tf.layers.Layer, apply(tf.layers.dense({ units: 6, name: 'd2' }), apply(tf.layers.dense({ units: 5, name: 'd1' }), x))) }));
    const inputs = randomInputs(withNested, 9);
    const smaller = keep(await expectFaithful(withNested, new Map([['d1', [2]]])));
    expect(smaller.getLayer('d2').getWeights()[0]?.shape).toEqual([4, 6]);
    expect(relativeError(keep(await pruneChannels(withNested, new Map())), withNested, inputs)).toBe(0);
    tf.dispose(inputs);
  });

  it('a GraphModel-like object is refused with an input error', () => {
    expect(() => dependencyGroups({} as tf.LayersModel)).toThrow(/not a tf.LayersModel/);
  });
});

function head2(x: tf.SymbolicTensor): tf.SymbolicTensor {
  return apply(tf.layers.dense({ units: 2, name: 'head2' }), apply(tf.layers.globalAveragePooling2d({ name: 'gap2' }), x));
}
