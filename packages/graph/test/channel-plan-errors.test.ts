import * as tf from '@tensorflow/tfjs';
import { isWhittleError } from '@whittle/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, pruneChannels, type ChannelPlan } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

/** The split-concatenation case: `a` feeds a concatenation whose width is then joined by Add to `s`. */
function splitModel(): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 3] });
  const c = (filters: number, name: string, input: tf.SymbolicTensor = x): tf.SymbolicTensor =>
    tf.layers.conv2d({ filters, kernelSize: 1, name }).apply(input) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([c(2, 'a'), c(3, 'b')]) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([cat, c(5, 's')]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, name: 'head' }).apply(tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: out });
}

async function refusal(model: tf.LayersModel, plan: ChannelPlan): Promise<{ code: string; message: string }> {
  try {
    (await pruneChannels(model, plan)).dispose();
  } catch (error) {
    if (isWhittleError(error) && error.kind === 'input') return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('plan was accepted');
}

describe('pruneChannels refuses bad plans with an input error naming the group', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useWasm();
    model = splitModel();
  });
  afterAll(() => model.dispose());

  it('the split group spans both concatenated producers and the Add partner', () => {
    const group = dependencyGroups(model).find((g) => g.id === 'a');
    expect(group?.channels).toBe(5);
    expect(group?.members.filter((m) => m.role === 'producer')).toEqual([
      { layer: 'a', role: 'producer', offset: 0, span: { start: 0, end: 2 } },
      { layer: 'b', role: 'producer', offset: 0, span: { start: 2, end: 5 } },
      { layer: 's', role: 'producer', offset: 0 },
    ]);
  });

  it.each<[string, ChannelPlan, string, RegExp]>([
    ['unknown group', new Map([['nope', [0]]]), 'PLAN_UNKNOWN_GROUP', /group "nope"/],
    ['unprunable group', new Map([['head', [0]]]), 'PLAN_UNPRUNABLE_GROUP', /group "head".*feeds model output "head"/],
    ['out-of-range index', new Map([['a', [5]]]), 'PLAN_INDEX_OUT_OF_RANGE', /group "a" names channel 5, outside 0…4/],
    ['negative index', new Map([['a', [-1]]]), 'PLAN_INDEX_OUT_OF_RANGE', /channel -1/],
    ['non-integer index', new Map([['a', [1.5]]]), 'PLAN_INDEX_OUT_OF_RANGE', /channel 1.5/],
    ['duplicate index', new Map([['a', [1, 1]]]), 'PLAN_DUPLICATE_INDEX', /group "a" names channel 1 twice/],
    ['whole group', new Map([['a', [0, 1, 2, 3, 4]]]), 'PLAN_EMPTIES_GROUP', /all 5 channels of group "a"/],
    ['whole layer', new Map([['a', [0, 1]]]), 'PLAN_EMPTIES_LAYER', /every channel of layer "a" \(groups "a"\)/],
    ['not a Map', { a: [0] } as unknown as ChannelPlan, 'PLAN_INVALID', /not a Map/],
  ])('%s', async (_name, plan, code, message) => {
    const leaked = await leakedBy(async () => {
      const error = await refusal(model, plan);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
    expect(leaked).toBe(0);
  });

  it('never modifies the original model', async () => {
    const before = model.getWeights().map((w) => w.arraySync());
    const json = JSON.stringify(model.toJSON(null, false));
    const pruned = await pruneChannels(model, new Map([['a', [1, 3]]]));
    expect(pruned.getLayer('a').getWeights()[0]?.shape).toEqual([1, 1, 3, 1]);
    expect(pruned.getLayer('b').getWeights()[0]?.shape).toEqual([1, 1, 3, 2]);
    expect(pruned.getLayer('s').getWeights()[0]?.shape).toEqual([1, 1, 3, 3]);
    pruned.dispose();
    expect(JSON.stringify(model.toJSON(null, false))).toBe(json);
    expect(model.getWeights().map((w) => w.arraySync())).toEqual(before);
  });
});
