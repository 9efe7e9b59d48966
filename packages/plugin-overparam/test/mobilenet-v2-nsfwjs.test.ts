import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '@whittle/engine';
import { expandLinear, mergeLinear } from '@whittle/graph';
import { leakedBy, loadNsfwjsModel, useWasm } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerConfigs, relativeError } from './helpers/overparam-fixtures.js';

beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

describe('expand → merge on a real Keras-converted MobileNetV2 (nsfwjs 4.4, trained weights)', () => {
  it('expands every Conv2D and Dense exactly, reports the 17 depthwise layers as left alone, and merges a trained expansion back to the same architecture', async () => {
    const model = await loadNsfwjsModel('mobilenet_v2');
    const input = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 1);
    const made: tf.LayersModel[] = [];
    const leaked = await leakedBy(async () => {
      const { model: expanded, blocks, skipped } = await expandLinear(model, { ratio: 1.25, depth: 0, seed: 2 });
      made.push(expanded);
      const expandable = model.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName())).map((l) => l.name);
      expect(blocks.map((b) => b.layer)).toEqual(expandable);
      expect(expandable.length).toBe(38); // 35 Conv2D, 3 Dense (nsfwjs's head)
      const depthwise = model.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D').map((l) => l.name);
      expect(depthwise.length).toBe(17);
      const left = skipped.filter((s) => s.className === 'DepthwiseConv2D');
      expect(left.map((s) => s.layer)).toEqual(depthwise);
      expect(new Set(left.map((s) => s.reason))).toEqual(new Set(['no exact linear expansion is known for class DepthwiseConv2D']));
      // Everything else left alone is a BatchNormalization (kept after its block, not inside it).
      expect(new Set(skipped.filter((s) => s.className !== 'DepthwiseConv2D').map((s) => s.className))).toEqual(new Set(['BatchNormalization']));
      expect(expanded.countParams()).toBeGreaterThan(model.countParams());
      expect(relativeError(expanded, model, input)).toBeLessThanOrEqual(1e-5);

      // One SGD step towards a random target moves every expanded weight (the extra filters wake up).
      const optimizer = tf.train.sgd(0.002);
      const cost = optimizer.minimize(() => tf.losses.meanSquaredError(tf.randomNormal([1, 5], 0, 1, 'float32', 4), expanded.apply(input, { training: true }) as tf.Tensor) as tf.Scalar, true);
      cost?.dispose();
      optimizer.dispose();
      expect(relativeError(expanded, model, input)).toBeGreaterThan(1e-4);

      const { model: merged } = await mergeLinear(expanded);
      made.push(merged);
      // Measured 1.8e-7 (expanded vs original) and 2.4e-6 to 1.05e-5 (merged vs trained expanded): the SGD
      // step runs nsfwjs's Dropout in training mode, unseeded, so the trained weights and the float32
      // reassociation error of the merge differ run to run. A wrong merge is off by more than 1e-2.
      expect(relativeError(merged, expanded, input)).toBeLessThanOrEqual(1e-4);
      expect(layerConfigs(merged)).toEqual(layerConfigs(model));
      expect(merged.countParams()).toBe(model.countParams());
      // Stock tfjs loads the merged model: no custom class in its topology.
      const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) => void merged.save(tf.io.withSaveHandler(async (a) => (resolve(a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }))));
      const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      expect(relativeError(reloaded, merged, input)).toBe(0);
      reloaded.dispose();
      made.splice(0).forEach((m) => m.dispose());
    });
    input.dispose();
    model.dispose();
    expect(leaked).toBe(0);
  }, 300_000);
});
