import * as tf from '@tensorflow/tfjs';
import { isWhittleError } from '@whittle/kernel';
import { buildResNet } from '@whittle/zoo';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bypassBlock, insertAfter, removeLayer, replaceLayer } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';
import { randomInputs, relativeError } from './helpers/compare-outputs.js';
import { randomiseWeights } from './helpers/random-weights.js';
import { copyModel } from './helpers/reference-model.js';

function smallNet(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'in' });
  let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c1' }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.reLU({ name: 'act' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3, name: 'fc' }).apply(y) as tf.SymbolicTensor });
  randomiseWeights(model, 4);
  return model;
}

async function inputCode(run: () => Promise<unknown>): Promise<string> {
  try {
    const result = await run();
    if (result instanceof tf.LayersModel) result.dispose();
  } catch (error) {
    if (isWhittleError(error) && error.kind === 'input') return error.code;
    throw error;
  }
  return 'accepted';
}

const owned: tf.LayersModel[] = [];
const own = <T extends tf.LayersModel>(m: T): T => (owned.push(m), m);

describe('layer surgery', () => {
  beforeAll(useWasm);
  afterEach(() => owned.splice(0).forEach((m) => m.dispose()));

  it('replaceLayer swaps a layer, keeping every other weight; given weights reproduce the outputs', async () => {
    const model = own(smallNet());
    const inputs = randomInputs(model, 1);
    const leaky = own(await replaceLayer(model, 'act', { className: 'LeakyReLU', config: { alpha: 0.3 } }));
    expect(leaky.getLayer('act').getClassName()).toBe('LeakyReLU');
    expect(leaky.getLayer('c2').getWeights()[0]?.arraySync()).toEqual(model.getLayer('c2').getWeights()[0]?.arraySync());
    const same = own(await replaceLayer(model, 'c1', { className: 'Conv2D', config: { filters: 4, kernel_size: [3, 3], padding: 'same', name: 'c1b' }, weights: model.getLayer('c1').getWeights() }));
    expect(same.layers.map((l) => l.name)).toContain('c1b');
    expect(relativeError(same, model, inputs)).toBe(0);
    const fresh = own(await replaceLayer(model, 'c1', { className: 'SeparableConv2D', config: { filters: 4, kernelSize: 3, padding: 'same' } }));
    expect(fresh.getLayer('c1').getClassName()).toBe('SeparableConv2D');
    expect(relativeError(fresh, model, inputs)).toBeGreaterThan(0);
    tf.dispose(inputs);
    expect(await inputCode(() => replaceLayer(model, 'c1', { className: 'Conv2D', config: { filters: 5, kernelSize: 3, padding: 'same' } }))).toBe('LAYER_SHAPE_MISMATCH');
    expect(await inputCode(() => replaceLayer(model, 'c1', { className: 'NoSuchLayer', config: {} }))).toBe('LAYER_SPEC_INVALID');
    expect(await inputCode(() => replaceLayer(model, 'c1', { className: 'Conv2D', config: { filters: 4, kernelSize: 3, padding: 'same' }, weights: [] }))).toBe('LAYER_WEIGHTS_INVALID');
    expect(await inputCode(() => replaceLayer(model, 'c1', { className: 'ReLU', config: { name: 'c2' } }))).toBe('LAYER_NAME_TAKEN');
    expect(await inputCode(() => replaceLayer(model, 'c9', { className: 'ReLU', config: {} }))).toBe('GRAPH_UNKNOWN_LAYER');
  });

  it('insertAfter puts a layer between a layer and all its readers', async () => {
    const model = own(smallNet());
    const inputs = randomInputs(model, 2);
    const identity = own(await insertAfter(model, 'c1', { className: 'Activation', config: { activation: 'linear', name: 'noop' } }));
    expect(identity.layers.map((l) => l.name)).toEqual(['in', 'c1', 'noop', 'act', 'drop', 'c2', 'gap', 'fc']);
    expect(relativeError(identity, model, inputs)).toBe(0);
    const withBn = own(await insertAfter(model, 'fc', { className: 'BatchNormalization', config: {} }));
    expect(withBn.outputNames).toEqual(['batchnormalization_after_fc']);
    tf.dispose(inputs);
    expect(await inputCode(() => insertAfter(model, 'c1', { className: 'Conv2D', config: { filters: 2, kernelSize: 1 } }))).toBe('LAYER_SHAPE_MISMATCH');
    expect(await inputCode(() => insertAfter(model, 'c1', { className: 'ReLU', config: { name: 'c2' } }))).toBe('LAYER_NAME_TAKEN');
  });

  it('removeLayer removes shape-preserving layers only, and works on a Sequential', async () => {
    const model = own(smallNet());
    const inputs = randomInputs(model, 3);
    const noDrop = own(await removeLayer(model, 'drop'));
    expect(noDrop.layers.map((l) => l.name)).toEqual(['in', 'c1', 'act', 'c2', 'gap', 'fc']);
    expect(relativeError(noDrop, model, inputs)).toBe(0);
    tf.dispose(inputs);
    expect(await inputCode(() => removeLayer(model, 'gap'))).toBe('LAYER_NOT_REMOVABLE');
    expect(await inputCode(() => removeLayer(model, 'in'))).toBe('LAYER_NOT_REMOVABLE');
    const seq = own(tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4, name: 'd1' }), tf.layers.dropout({ rate: 0.1, name: 'dr' }), tf.layers.dense({ units: 2, name: 'd2' })] }));
    const shorter = own(await removeLayer(seq, 'dr'));
    expect(shorter).toBeInstanceOf(tf.Sequential);
    expect(shorter.layers.map((l) => l.name)).toEqual(['d1', 'd2']);
    const first = own(await removeLayer(seq, 'd1'));
    expect(first.layers.map((l) => l.name)).toEqual(['dr', 'd2']);
  });

  it('bypassBlock drops a residual branch: same outputs as the block with its branch zeroed', async () => {
    const leaked = await leakedBy(async () => {
      const resnet = buildResNet({ depth: 20, inputShape: [8, 8, 3], numClasses: 3, width: 4, seed: 2 });
      randomiseWeights(resnet, 5);
      const bypassed = await bypassBlock(resnet, { from: 'stage1_block1_out', to: 'stage1_block2_add' });
      expect(bypassed.layers.some((l) => l.name.startsWith('stage1_block2_1'))).toBe(false);
      expect(bypassed.layers.some((l) => l.name === 'stage1_block2_add')).toBe(false);
      expect(bypassed.countParams()).toBeLessThan(resnet.countParams());
      // Reference: zero the branch's last BatchNorm (gamma = beta = 0), so the Add passes the skip through.
      const reference = await copyModel(resnet);
      const bn = reference.layers.find((l) => l.name.startsWith('stage1_block2_2') && l.getClassName() === 'BatchNormalization');
      const [gamma, beta, mean, variance] = bn!.getWeights();
      const zeros = [tf.zerosLike(gamma!), tf.zerosLike(beta!)];
      bn!.setWeights([zeros[0]!, zeros[1]!, mean!, variance!]);
      tf.dispose(zeros);
      const inputs = randomInputs(resnet, 6);
      expect(relativeError(bypassed, reference, inputs)).toBeLessThanOrEqual(1e-5);
      tf.dispose(inputs);
      expect(await inputCode(() => bypassBlock(resnet, { from: 'stage1_block1_out', to: 'stage1_block1_out' }))).toBe('BYPASS_NOT_A_MERGE');
      expect(await inputCode(() => bypassBlock(resnet, { from: 'stem_relu', to: 'stage1_block2_add' }))).toBe('BYPASS_NO_SKIP');
      expect(await inputCode(() => bypassBlock(resnet, { from: 'stage1_block3_out', to: 'stage2_block1_add' }))).toBe('BYPASS_NO_SKIP');
      for (const m of [resnet, bypassed, reference]) m.dispose();
    });
    expect(leaked).toBe(0);
  });

  it('bypassBlock that leaves a concatenation reading one tensor twice gives the repeat its own Reshape, so predict works (tfjs-layers would free the tensor early)', async () => {
    // in → a → [block: b = conv(a); add(a, b)] → concat(add, a) ⊕ a second reader of a → output.
    const x = tf.input({ shape: [4, 4, 2], name: 'in' });
    const a = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'a' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'b' }).apply(a) as tf.SymbolicTensor;
    const add = tf.layers.add({ name: 'block_add' }).apply([a, b]) as tf.SymbolicTensor;
    const skip = tf.layers.concatenate({ name: 'skip_concat' }).apply([add, a]) as tf.SymbolicTensor;
    const other = tf.layers.conv2d({ filters: 6, kernelSize: 1, name: 'other' }).apply(a) as tf.SymbolicTensor;
    const out = tf.layers.add({ name: 'out' }).apply([other, skip]) as tf.SymbolicTensor; // this order runs the concat before `other`
    const model = own(tf.model({ inputs: x, outputs: out }));
    randomiseWeights(model, 7);
    const leaked = await leakedBy(async () => {
      const bypassed = await bypassBlock(model, { from: 'a', to: 'block_add' });
      const copies = bypassed.layers.filter((l) => l.getClassName() === 'Reshape').map((l) => l.name);
      expect(copies).toEqual(['skip_concat_input1_copy']);
      expect(bypassed.countParams()).toBe(model.countParams() - model.getLayer('b').countParams());
      const input = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 8);
      // The reference: the same layers computed by hand, concat([a, a]) + other(a).
      const expected = tf.tidy(() => {
        const av = model.getLayer('a').apply(input) as tf.Tensor;
        return tf.add(tf.concat([av, av], -1), model.getLayer('other').apply(av) as tf.Tensor);
      });
      const predicted = bypassed.predict(input) as tf.Tensor;
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(predicted, expected))).dataSync()[0])).toBeLessThanOrEqual(1e-6);
      tf.dispose([input, expected, predicted]);
      bypassed.dispose();
    });
    expect(leaked).toBe(0);
  });
});
