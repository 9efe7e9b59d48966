import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';
import { dependencyGroups } from '@whittle/graph';
import { buildInceptionStyle, buildMobileNetV2Style, buildResNet } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateWidths, latencySites, pruneToWidths, sideWidth, signatureKey, withChannels } from '../../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

const target = { backend: 'wasm', adapter: null, batch: 1 } as const;

/** Conv → BN → depthwise → separable → concat with a conv branch → flatten → dense: every side kind. */
function mixedModel(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3] });
  const a = tf.layers.conv2d({ name: 'a', filters: 12, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(a) as tf.SymbolicTensor;
  const dw = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(bn) as tf.SymbolicTensor;
  const sep = tf.layers.separableConv2d({ name: 'sep', filters: 10, kernelSize: 3, padding: 'same' }).apply(dw) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ name: 'b', filters: 6, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([sep, b]) as tf.SymbolicTensor;
  const up = tf.layers.conv2dTranspose({ name: 'up', filters: 5, kernelSize: 2, strides: 2, padding: 'same' }).apply(cat) as tf.SymbolicTensor;
  const pool = tf.layers.maxPooling2d({ name: 'pool', poolSize: 4 }).apply(up) as tf.SymbolicTensor;
  const fc = tf.layers.dense({ name: 'fc', units: 4 }).apply(tf.layers.flatten({ name: 'flat' }).apply(pool) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ name: 'mixed', inputs: x, outputs: fc });
}

/** conv → BN → ReLU6 → conv, plus two 1×1 branches, Add of three → Activation relu6 → LeakyReLU → pad → pools → Multiply → GAP → dense. */
function passthroughModel(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3] });
  const a = tf.layers.conv2d({ name: 'a', filters: 12, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(a) as tf.SymbolicTensor;
  const relu = tf.layers.reLU({ name: 'relu', maxValue: 6 }).apply(bn) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ name: 'b', filters: 10, kernelSize: 3, padding: 'same' }).apply(relu) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ name: 'c', filters: 10, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  const d = tf.layers.conv2d({ name: 'd', filters: 10, kernelSize: 1 }).apply(relu) as tf.SymbolicTensor;
  const add = tf.layers.add({ name: 'add' }).apply([b, c, d]) as tf.SymbolicTensor;
  const act = tf.layers.activation({ name: 'act', activation: 'relu6' }).apply(add) as tf.SymbolicTensor;
  const leaky = tf.layers.leakyReLU({ name: 'leaky' }).apply(act) as tf.SymbolicTensor;
  const pad = tf.layers.zeroPadding2d({ name: 'pad', padding: [[1, 0], [0, 1]] }).apply(leaky) as tf.SymbolicTensor;
  const maxPool = tf.layers.maxPooling2d({ name: 'max_pool', poolSize: 2, padding: 'same' }).apply(pad) as tf.SymbolicTensor;
  const avgPool = tf.layers.averagePooling2d({ name: 'avg_pool', poolSize: 2, strides: 1 }).apply(maxPool) as tf.SymbolicTensor;
  const gate = tf.layers.activation({ name: 'gate', activation: 'sigmoid' }).apply(avgPool) as tf.SymbolicTensor;
  const mul = tf.layers.multiply({ name: 'mul' }).apply([avgPool, gate]) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(mul) as tf.SymbolicTensor;
  const fc = tf.layers.dense({ name: 'fc', units: 3 }).apply(gap) as tf.SymbolicTensor;
  return tf.model({ name: 'passthrough', inputs: x, outputs: fc });
}

beforeAll(useWasm);

describe('latency sites', () => {
  it('follow group widths as the pruned model does (producers, consumers, depthwise, concat, flatten→dense)', async () => {
    const models: Array<() => tf.LayersModel> = [
      mixedModel,
      passthroughModel,
      () => buildResNet({ depth: 8, inputShape: [8, 8, 3], numClasses: 3, width: 8 }),
      () => buildMobileNetV2Style({ inputShape: [16, 16, 3], numClasses: 3, alpha: 0.5 }),
      () => buildInceptionStyle({ inputShape: [16, 16, 3], numClasses: 3, width: 4 }),
    ];
    const rng = SeededRng.from(7, 'sites');
    expect(await leakedBy(async () => {
      for (const build of models) {
        const model = build();
        const groups = dependencyGroups(model);
        const sites = latencySites(model, groups, target);
        expect(sites.length, model.name).toBeGreaterThan(2);
        for (let trial = 0; trial < 3; trial++) {
          const widths = new Map(groups.filter((g) => g.prunable).map((g) => {
            const options = candidateWidths(g.channels, 2);
            return [g.id, options[rng.int(options.length)] as number];
          }));
          const pruned = await pruneToWidths(model, widths);
          const actual = new Map(latencySites(pruned, dependencyGroups(pruned), target).map((s) => [s.id, signatureKey(s.signature)]));
          expect(actual.size, model.name).toBe(sites.length);
          for (const site of sites) {
            const implied = withChannels(site.signature, sideWidth(site.cin, widths), sideWidth(site.cout, widths));
            expect(actual.get(site.id), `${model.name} ${site.id}`).toBe(signatureKey(implied));
          }
          pruned.dispose();
        }
        model.dispose();
      }
    })).toBe(0);
  });

  it('name the groups a layer depends on, and leave unmodelled layers out', () => {
    const model = mixedModel();
    const sites = new Map(latencySites(model, dependencyGroups(model), target).map((s) => [s.id, s]));
    // Concatenate and Flatten are left to the constant.
    expect([...sites.keys()].sort()).toEqual(['a', 'b', 'bn', 'dw', 'fc', 'pool', 'sep', 'up']);
    expect(sites.get('dw')!.cin.terms.map((t) => t.group)).toEqual(['a']);
    expect(sites.get('dw')!.cout.terms).toEqual([]);
    expect(sites.get('bn')!.cin.terms.map((t) => t.group)).toEqual(['a']);
    expect(sites.get('pool')!.cin.terms.map((t) => t.group)).toEqual(['up']);
    expect(sites.get('up')!.cin.terms.map((t) => t.group).sort()).toEqual(['b', 'sep']);
    expect(sites.get('fc')!.cin).toMatchObject({ full: 5 * 4 * 4 });
    expect(sites.get('fc')!.cin.terms.map((t) => t.group)).toEqual(['up']);
    model.dispose();
  });

  it('let BatchNorm, activations, merges, pooling and padding follow the group that passes through them', () => {
    const model = passthroughModel();
    const sites = new Map(latencySites(model, dependencyGroups(model), target).map((s) => [s.id, s]));
    expect([...sites.keys()].sort()).toEqual(['a', 'act', 'add', 'avg_pool', 'b', 'bn', 'c', 'd', 'fc', 'gap', 'gate', 'leaky', 'max_pool', 'mul', 'pad', 'relu']);
    const groupOf = (id: string, side: 'cin' | 'cout'): string[] => sites.get(id)![side].terms.map((t) => t.group);
    for (const id of ['bn', 'relu']) {
      expect(groupOf(id, 'cin'), id).toEqual(['a']);
      expect(sites.get(id)!.cin.full, id).toBe(12);
      expect(sites.get(id)!.cout.terms, id).toEqual([]);
    }
    // The Add couples b, c and d into one group; every later passthrough layer follows it.
    const merged = groupOf('b', 'cout');
    expect(groupOf('c', 'cout')).toEqual(merged);
    for (const id of ['add', 'act', 'leaky', 'pad', 'max_pool', 'avg_pool', 'gate', 'mul', 'gap']) expect(groupOf(id, 'cin'), id).toEqual(merged);
    expect(groupOf('fc', 'cin')).toEqual(merged);
    // Each input of a merge has the group's channels: pruning the group to w leaves w per input.
    const add = sites.get('add')!;
    expect(add.signature).toMatchObject({ op: 'merge', merge: 'add', inputs: 3, cin: 10 });
    expect(sideWidth(add.cin, new Map([[merged[0]!, 4]]))).toBe(4);
    expect(sites.get('relu')!.signature).toMatchObject({ op: 'activation', activation: 'relu-max' });
    expect(sites.get('pad')!.signature).toMatchObject({ op: 'zero-pad', pads: [1, 0, 0, 1] });
    model.dispose();
  });
});
