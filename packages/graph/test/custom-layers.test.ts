import * as tf from '@tensorflow/tfjs';
import { PluginRegistry } from '@whittle/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, layerCosts, layerOperationsOf, LayerOperations, pruneChannels, totalMacs } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';
import { randomInputs, relativeError } from './helpers/compare-outputs.js';
import { randomiseWeights } from './helpers/random-weights.js';
import { referenceWithoutChannels } from './helpers/reference-model.js';
import fixture, { customLayerModel } from './fixtures/custom-layer-plugin/index.js';

describe('layer operations registered by a plugin manifest', () => {
  let ops: LayerOperations;
  beforeAll(async () => {
    await useWasm();
    // Loading the manifest registers the classes with tf.serialization and exposes their operations.
    ops = layerOperationsOf(new PluginRegistry([fixture]));
  });

  it('registers the custom classes with tf.serialization, so a saved model with them loads', async () => {
    const leaked = await leakedBy(async () => {
      const model = customLayerModel();
      const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) => {
        void model.save(tf.io.withSaveHandler(async (a) => {
          resolve(a);
          return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
        }));
      });
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      expect(loaded.getLayer('scale').getClassName()).toBe('ChannelScale');
      expect(loaded.getLayer('attention').getClassName()).toBe('ChannelAttention');
      model.dispose();
      loaded.dispose();
    });
    expect(leaked).toBe(0);
  });

  it('counts the custom layers\' MACs from their operations (0 without them)', () => {
    const model = customLayerModel();
    const costs = new Map(layerCosts(model, ops).map((c) => [c.layer, c.macs]));
    expect(costs.get('scale')).toBe(8 * 8 * 8);
    expect(costs.get('attention')).toBe(8 * 8 + 8 * 8 * 8);
    const builtInOnly = totalMacs(model);
    expect(totalMacs(model, ops)).toBe(builtInOnly + 8 * 8 * 8 + 8 * 8 + 8 * 8 * 8);
    expect(new Map(layerCosts(model).map((c) => [c.layer, c.macs])).get('scale')).toBe(0);
    model.dispose();
  });

  it('prunes through a layer whose operation has a channel rule: outputs = original minus the removed channels', async () => {
    const leaked = await leakedBy(async () => {
      const model = customLayerModel();
      randomiseWeights(model, 5);
      const groups = dependencyGroups(model, ops);
      const conv1 = groups.find((g) => g.id === 'conv1')!;
      expect(conv1.prunable).toBe(true);
      expect(conv1.members.map((m) => m.layer)).toContain('scale');
      const plan = new Map([['conv1', [1, 4, 6]]]);
      const pruned = await pruneChannels(model, plan, ops);
      expect(pruned.getLayer('scale').getWeights()[0]!.shape).toEqual([5]);
      const reference = await referenceWithoutChannels(model, groups, plan);
      const x = randomInputs(model, 9);
      expect(relativeError(pruned, reference, x)).toBeLessThan(1e-4);
      expect(relativeError(pruned, model, x)).toBeGreaterThan(1e-3);
      tf.dispose(x);
      for (const m of [model, pruned, reference]) m.dispose();
    });
    expect(leaked).toBe(0);
  });

  it('refuses to prune a group that reaches a layer whose operation has no channel rule, naming the layer and its class', async () => {
    const model = customLayerModel();
    const conv2 = dependencyGroups(model, ops).find((g) => g.id === 'conv2')!;
    expect(conv2.prunable).toBe(false);
    expect(conv2.blockedBy.join('; ')).toMatch(/layer "attention" \(ChannelAttention\) has a layer operation without a channel rule/);
    await expect(pruneChannels(model, new Map([['conv2', [0]]]), ops)).rejects.toMatchObject({
      code: 'PLAN_UNPRUNABLE_GROUP', message: expect.stringMatching(/"attention" \(ChannelAttention\)/) as unknown,
    });
    model.dispose();
  });

  it('without the plugin\'s operations the custom layer is opaque and blocks its groups', () => {
    const model = customLayerModel();
    const conv1 = dependencyGroups(model).find((g) => g.id === 'conv1')!;
    expect(conv1.prunable).toBe(false);
    expect(conv1.blockedBy.join('; ')).toMatch(/layer "scale" \(ChannelScale\) is not supported by the graph/);
    model.dispose();
  });

  it('refuses a malformed operation with the package and class named', () => {
    const source = { layerOperations: () => [{ value: { className: 'ChannelScale', operation: { className: 'Other' } }, from: 'acme-layers' }] };
    expect(() => layerOperationsOf(source)).toThrowError(/layer operation for "ChannelScale" from "acme-layers" names class "Other"/);
    const notFunction = { layerOperations: () => [{ value: { className: 'X', operation: { className: 'X', macs: 3 } }, from: 'acme-layers' }] };
    expect(() => layerOperationsOf(notFunction)).toThrowError(/"macs" is not a function/);
  });
});
