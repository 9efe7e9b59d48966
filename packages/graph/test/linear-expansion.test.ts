import * as tf from '@tensorflow/tfjs';
import { isWhittleError } from '@whittle/kernel';
import { buildInceptionStyle, buildResNet, kerasMobileNetV2Artifacts } from '@whittle/zoo';
import { registerWasmGradients } from '@whittle/engine';
import { leakedBy, useWasm, withoutLeaks } from '@whittle/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expandedBlocks, expandLinear, mergeLinear, type ExpandLinearOptions } from '../src/index.js';
import { randomInputs, relativeError } from './helpers/compare-outputs.js';
import { randomiseWeights } from './helpers/random-weights.js';

const owned: tf.LayersModel[] = [];
const own = <T extends tf.LayersModel>(m: T): T => (owned.push(m), m);

/** Every layer's class and config, by name (weights left out). */
function layerConfigs(model: tf.LayersModel): Record<string, unknown> {
  const json = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: unknown; name?: string }[] } };
  return Object.fromEntries(json.config.layers.map((l, i) => [(l.config as { name: string }).name ?? String(i), { className: l.class_name, config: l.config }]));
}

/** A few SGD steps on the model towards random targets, so that every expanded weight moves off its start. */
function trainSteps(model: tf.LayersModel, inputs: tf.Tensor[], steps = 3, learningRate = 0.05): void {
  const optimizer = tf.train.sgd(learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let i = 0; i < steps; i++) {
    const cost = optimizer.minimize((): tf.Scalar => {
      const outputs = [model.apply(inputs, { training: true })].flat() as tf.Tensor[];
      return tf.addN(outputs.map((o, k) => tf.losses.meanSquaredError(tf.randomNormal(o.shape, 0, 1, 'float32', 7 + k), o))) as tf.Scalar;
    }, true, variables);
    cost?.dispose();
  }
  optimizer.dispose();
}

/**
 * Expands, checks the outputs, trains the expanded model, merges and checks the merged model against
 * the trained expanded one and against the original's architecture.
 */
async function roundTrip(model: tf.LayersModel, options: ExpandLinearOptions = { ratio: 2, depth: 1 }, move: 'train' | 'randomise' = 'train'): Promise<{ blocks: number; skipped: string[] }> {
  const seed = 3;
  const inputs = randomInputs(model, seed);
  const made: tf.LayersModel[] = [];
  try {
    const result = await expandLinear(model, options);
    const expanded = result.model;
    made.push(expanded);
    expect(relativeError(expanded, model, inputs), 'expanded vs original').toBeLessThanOrEqual(1e-5);
    expect(expanded.countParams()).toBeGreaterThan(model.countParams());
    // tfjs has no gradient for dilated convolutions: those blocks get random weights instead of training steps.
    if (move === 'train') trainSteps(expanded, inputs);
    else randomiseWeights(expanded, 21);
    const changed = relativeError(expanded, model, inputs);
    expect(changed, 'training moved the expanded model').toBeGreaterThan(1e-4);
    const { model: merged, blocks } = await mergeLinear(expanded);
    made.push(merged);
    expect(blocks.length).toBe(result.blocks.length);
    expect(relativeError(merged, expanded, inputs), 'merged vs trained expanded').toBeLessThanOrEqual(1e-5);
    expect(layerConfigs(merged)).toEqual(layerConfigs(model));
    expect(merged.countParams()).toBe(model.countParams());
    expect(merged.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    return { blocks: result.blocks.length, skipped: result.skipped.map((s) => s.layer) };
  } finally {
    tf.dispose(inputs);
    made.forEach((m) => m.dispose());
  }
}

function convNet(conv: Parameters<typeof tf.layers.conv2d>[0], input: number[] = [9, 9, 3]): tf.LayersModel {
  const x = tf.input({ shape: input, name: 'img' });
  let y = tf.layers.conv2d({ ...conv, name: 'conv' }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: 'bn' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU({ name: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.flatten({ name: 'flat' }).apply(y) as tf.SymbolicTensor;
  const model = tf.model({ name: 'conv-net', inputs: x, outputs: tf.layers.dense({ units: 5, name: 'fc', activation: 'softmax' }).apply(y) as tf.SymbolicTensor });
  randomiseWeights(model, 11);
  return model;
}

describe('linear over-parameterisation: expandLinear / mergeLinear', () => {
  beforeAll(async () => {
    await useWasm();
    registerWasmGradients();
  });
  afterEach(() => owned.splice(0).forEach((m) => m.dispose()));

  const convCases: [string, Parameters<typeof tf.layers.conv2d>[0]][] = [
    ['3×3 stride 1 same, bias', { filters: 4, kernelSize: 3, strides: 1, padding: 'same' }],
    ['3×3 stride 2 same, bias', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }],
    ['3×3 stride 2 valid, no bias', { filters: 4, kernelSize: 3, strides: 2, padding: 'valid', useBias: false }],
    ['3×3 stride 1 valid, bias, relu inside', { filters: 5, kernelSize: 3, padding: 'valid', activation: 'relu' }],
    ['3×3 dilation 2 same, bias', { filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same' }],
    ['3×3 dilation 2 valid, no bias', { filters: 3, kernelSize: 3, dilationRate: 2, padding: 'valid', useBias: false }],
    ['1×2 stride [1,2] same, bias', { filters: 4, kernelSize: [1, 2], strides: [1, 2], padding: 'same' }],
    ['5×5 stride 2 same, bias', { filters: 2, kernelSize: 5, strides: 2, padding: 'same' }],
  ];
  for (const [label, conv] of convCases) {
    it(`Conv2D ${label}: expanded = original, merged = trained expanded, same configs and params, no leaks`, async () => {
      const model = own(convNet(conv));
      const dilated = conv.dilationRate !== undefined;
      const { blocks } = await withoutLeaks(() => roundTrip(model, { ratio: 2.5, depth: 1, seed: 5 }, dilated ? 'randomise' : 'train'));
      expect(blocks).toBe(2);
    });
  }

  it('Dense on 3-D inputs, with and without bias, with ratio 1 and depth 2', async () => {
    const x = tf.input({ shape: [4, 6], name: 'seq' });
    const h = tf.layers.dense({ units: 7, name: 'd1', activation: 'tanh' }).apply(x) as tf.SymbolicTensor;
    const h2 = tf.layers.dense({ units: 3, name: 'd2', useBias: false }).apply(h) as tf.SymbolicTensor;
    const model = own(tf.model({ inputs: x, outputs: h2 }));
    randomiseWeights(model, 2);
    await withoutLeaks(() => roundTrip(model, { ratio: 1, depth: 2 }));
    await withoutLeaks(() => roundTrip(model, { ratio: 3, depth: 0 }));
  });

  it('a Sequential model stays loadable and exact', async () => {
    const model = own(tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same', name: 's_conv' }),
      tf.layers.flatten({ name: 's_flat' }),
      tf.layers.dense({ units: 2, name: 's_fc' }),
    ] }));
    randomiseWeights(model, 9);
    expect((await withoutLeaks(() => roundTrip(model))).blocks).toBe(2);
  });

  it('inside residual (ResNet-8) and concatenating (Inception-style) topologies', async () => {
    const resnet = own(buildResNet({ depth: 8, inputShape: [12, 12, 3], numClasses: 4, width: 4, seed: 1 }));
    randomiseWeights(resnet, 3);
    const r = await withoutLeaks(() => roundTrip(resnet, { ratio: 2, depth: 1 }));
    expect(r.blocks).toBe(resnet.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName())).length);
    const inception = own(buildInceptionStyle({ inputShape: [16, 16, 3], numClasses: 3, width: 4, seed: 2 }));
    randomiseWeights(inception, 4);
    const i = await withoutLeaks(() => roundTrip(inception, { ratio: 2, depth: 0 }));
    expect(i.blocks).toBeGreaterThan(5);
  });

  it('SeparableConv2D expands its pointwise half; DepthwiseConv2D is left as it is, with the reason', async () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'img' });
    let y = tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'sep' }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
    const model = own(tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, name: 'fc' }).apply(y) as tf.SymbolicTensor }));
    randomiseWeights(model, 5);
    const { blocks, skipped } = await withoutLeaks(() => roundTrip(model, { ratio: 2, depth: 1 }));
    expect(blocks).toBe(2);
    expect(skipped).toEqual(['dw']);
    const result = await expandLinear(model);
    own(result.model);
    expect(result.skipped[0]?.reason).toMatch(/no exact linear expansion is known for class DepthwiseConv2D/);
    expect(result.model.getLayer('sep__overparam_head').getClassName()).toBe('SeparableConv2D');
    expect(expandedBlocks(result.model).map((b) => b.layer)).toEqual(['sep', 'fc']);
  });

  it('expands only the selected layers; refuses unknown selectors and layers that cannot expand', async () => {
    const model = own(convNet({ filters: 4, kernelSize: 3, padding: 'same' }));
    const only = await expandLinear(model, { layers: [/^co/] });
    own(only.model);
    expect(only.blocks.map((b) => b.layer)).toEqual(['conv']);
    const code = async (options: ExpandLinearOptions): Promise<string> => {
      try {
        own((await expandLinear(model, options)).model);
        return 'accepted';
      } catch (error) {
        if (isWhittleError(error) && error.kind === 'input') return error.code;
        throw error;
      }
    };
    expect(await code({ layers: ['nope'] })).toBe('EXPANSION_LAYER_UNKNOWN');
    expect(await code({ layers: ['bn'] })).toBe('EXPANSION_LAYER_REFUSED');
    expect(await code({ ratio: 0.5 })).toBe('EXPANSION_OPTIONS_INVALID');
    expect(await code({ depth: -1 })).toBe('EXPANSION_OPTIONS_INVALID');
    // An expanded model's blocks are not expanded again.
    const twice = await expandLinear(only.model);
    own(twice.model);
    expect(twice.blocks.map((b) => b.layer)).toEqual(['fc']);
  });

  it('a Keras-converted MobileNetV2 (224×224, 3.5 M params) expands and merges back exactly; its depthwise layers are reported as left alone', async () => {
    const model = own(await tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts(0))));
    const input = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 1);
    const leaked = await leakedBy(async () => {
      const { model: expanded, blocks, skipped } = await expandLinear(model, { ratio: 1.25, depth: 0 });
      own(expanded);
      expect(blocks.length).toBe(model.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName())).length);
      const depthwise = model.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D').map((l) => l.name);
      expect(depthwise.length).toBe(17);
      expect(skipped.filter((s) => s.className === 'DepthwiseConv2D').map((s) => s.layer)).toEqual(depthwise);
      expect(relativeError(expanded, model, input)).toBeLessThanOrEqual(1e-5);
      trainSteps(expanded, [input], 1, 0.002);
      const { model: merged } = await mergeLinear(expanded);
      own(merged);
      // Pooled features (the 1280 inputs of the classifier) and the 1000 probabilities.
      const features = (m: tf.LayersModel): tf.LayersModel => tf.model({ inputs: m.inputs, outputs: m.getLayer('global_average_pooling2d').output as tf.SymbolicTensor });
      // Measured 1.1e-5 (features) and 2.3e-5 (probabilities): the merge is exact algebra, but float32
      // re-association of W·A in 52 stacked layers adds up; each small model above meets 1e-5 end to end.
      expect(relativeError(features(merged), features(expanded), input)).toBeLessThanOrEqual(5e-5);
      expect(relativeError(merged, expanded, input)).toBeLessThanOrEqual(1e-4);
      expect(layerConfigs(merged)).toEqual(layerConfigs(model));
      expect(merged.countParams()).toBe(model.countParams());
      owned.splice(1).forEach((m) => m.dispose());
    });
    input.dispose();
    expect(leaked).toBe(0);
  }, 120_000);
});
