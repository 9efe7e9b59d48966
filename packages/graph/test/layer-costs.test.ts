import * as tf from '@tensorflow/tfjs';
import {
  buildInceptionStyle, buildMobileNetV2Style, buildPatchGanDiscriminator, buildPix2PixGenerator, buildResNet,
  buildSmallCnn, buildUNet, buildVggSmall, kerasMobileNetV2Artifacts,
} from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasLayerConfig, layerCosts, LayerOperations, totalMacs } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

const ZOO: [string, () => tf.LayersModel | Promise<tf.LayersModel>][] = [
  ['small CNN', () => buildSmallCnn({ inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['ResNet-20', () => buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['ResNet-56', () => buildResNet({ depth: 56, inputShape: [8, 8, 3], numClasses: 4, width: 4, seed: 1 })],
  ['VGG-small', () => buildVggSmall({ inputShape: [16, 16, 3], numClasses: 4, width: 4, denseUnits: 16, seed: 1 })],
  ['MobileNetV2-style', () => buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 4, alpha: 0.25, seed: 1 })],
  ['Inception-style', () => buildInceptionStyle({ inputShape: [16, 16, 3], numClasses: 4, width: 4, seed: 1 })],
  ['U-Net', () => buildUNet({ inputShape: [16, 16, 1], outChannels: 2, width: 4, depth: 2, seed: 1 })],
  ['pix2pix generator', () => buildPix2PixGenerator({ inputShape: [32, 32, 3], width: 4, seed: 1 })],
  ['pix2pix discriminator', () => buildPatchGanDiscriminator({ inputShape: [32, 32, 3], width: 4, seed: 1 })],
  ['Keras MobileNetV2 224×224', () => tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts(0)))],
  ['every counted kind, shared and nested', everyKindModel],
];

/** Disposes a model; tfjs counts a reference per call of a shared layer, so its weights go with one more dispose per extra call. */
function disposeModel(model: tf.LayersModel): void {
  const shared = model.layers.filter((l) => !(l instanceof tf.LayersModel) && l.inboundNodes.length > 1);
  model.dispose();
  for (const layer of shared) for (let call = 1; call < layer.inboundNodes.length; call++) layer.dispose();
}

/** Every class the kernel counts, a channels-first conv, a shared layer and a nested model. */
function everyKindModel(): tf.LayersModel {
  const inner = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 3, name: 'inner_dense' })], name: 'inner' });
  const x = tf.input({ shape: [8, 8, 3] });
  let y = tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], padding: 'same', name: 'conv' }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'sep' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: 'bn' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, name: 'deconv' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 3, kernelSize: 3, dataFormat: 'channelsFirst', name: 'conv_cf' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reshape({ targetShape: [-1, 6], name: 'reshape' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv1d({ filters: 6, kernelSize: 3, name: 'conv1d' }).apply(y) as tf.SymbolicTensor;
  const shared = tf.layers.dense({ units: 6, name: 'shared' });
  y = shared.apply(shared.apply(y) as tf.SymbolicTensor) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling1d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  y = inner.apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

describe('layerCosts / totalMacs (layer operations)', () => {
  beforeAll(useWasm);

  // These counts equalled the kernel's former per-class MAC counters on every model here when the
  // layer operations replaced them; what stays checkable without them: params add up, MACs count.
  it.each(ZOO)('%s: params per layer add up to the model\'s, and MACs count', async (_name, build) => {
    const leaked = await leakedBy(async () => {
      const model = await build();
      const costs = layerCosts(model);
      expect(costs.reduce((n, c) => n + c.params, 0)).toBe(model.countParams());
      expect(totalMacs(model)).toBe(costs.reduce((n, c) => n + c.macs, 0));
      expect(totalMacs(model)).toBeGreaterThan(0);
      disposeModel(model);
    });
    expect(leaked).toBe(0);
  });

  it('counts the nested model once per call and a shared layer over its calls', async () => {
    const model = everyKindModel();
    const byName = new Map(layerCosts(model).map((c) => [c.layer, c]));
    const sharedIn = byName.get('conv1d')!.outputShape;
    expect(byName.get('shared')!.macs).toBe(2 * sharedIn[1]! * 6 * 6);
    expect(byName.get('inner/inner_dense')!.macs).toBe(6 * 3);
    disposeModel(model);
  });

  it('a registry without an operation for a class counts it 0; an added operation counts it', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'd' })] });
    expect(totalMacs(model)).toBe(12);
    expect(totalMacs(model, LayerOperations.builtIn.with([{ className: 'Dense' }]))).toBe(0);
    expect(totalMacs(model, LayerOperations.builtIn.with([{ className: 'Dense', macs: () => 7 }]))).toBe(7);
    model.dispose();
  });
});

describe('kerasLayerConfig', () => {
  it('writes a live layer config as model.toJSON does (snake_case keys and values, names kept)', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ inputShape: [8, 8, 3], kernelSize: 3, depthMultiplier: 2, dataFormat: 'channelsLast', name: 'dwConv' }),
        tf.layers.activation({ activation: 'hardSigmoid', name: 'hardAct' }),
      ],
    });
    const json = model.toJSON(null, false) as unknown as { config: { layers: { config: Record<string, unknown> }[] } };
    model.layers.forEach((layer, i) => {
      expect(kerasLayerConfig(layer.getConfig())).toEqual(json.config.layers[i]!.config);
    });
    expect(kerasLayerConfig(model.layers[0]!.getConfig())).toMatchObject({ depth_multiplier: 2, data_format: 'channels_last', name: 'dwConv' });
    model.dispose();
  });
});
