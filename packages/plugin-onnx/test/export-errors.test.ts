import * as tf from '@tensorflow/tfjs';
import { LayerOperations } from '@whittle/graph';
import { errorOf, leakedBy, useWasm } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithTfjs, exportOnnx, OrtSession } from '../src/index.js';
import { channelScaleModel, channelScaleOperation } from './helpers/channel-scale.js';
import { randomInputs } from './helpers/ort-match.js';

function sequential(layers: tf.layers.Layer[], name: string): tf.LayersModel {
  const model = tf.sequential({ name });
  for (const layer of layers) model.add(layer);
  return model;
}

describe('exportOnnx refuses what it cannot lower, naming the layer and its class', () => {
  beforeAll(useWasm);

  it('a layer class without a lowering (LayerNormalization, Conv1D)', async () => {
    const ln = sequential([tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.layerNormalization({ name: 'norm' })], 'with_ln');
    const e1 = await errorOf(() => exportOnnx(ln));
    expect(e1.code).toBe('ONNX_UNSUPPORTED_LAYER');
    expect(e1.message).toContain('layer "norm" (LayerNormalization) has no ONNX lowering');
    const conv1d = sequential([tf.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [8, 2], name: 'temporal' })], 'with_conv1d');
    expect((await errorOf(() => exportOnnx(conv1d))).message).toContain('layer "temporal" (Conv1D)');
    ln.dispose();
    conv1d.dispose();
  });

  it('a custom layer class nobody registered, then the same model with a plugin\'s lowering', async () => {
    const model = channelScaleModel();
    const e = await errorOf(() => exportOnnx(model));
    expect(e.code).toBe('ONNX_UNSUPPORTED_LAYER');
    expect(e.message).toContain('layer "scale" (OnnxChannelScale) has no ONNX lowering: its class is not a known layer operation');
    const leaked = await leakedBy(async () => {
      const exported = await exportOnnx(model, { ops: LayerOperations.builtIn.with([channelScaleOperation]) });
      const session = await OrtSession.create(exported.bytes, exported);
      const inputs = randomInputs(model, 5, 2);
      expect((await compareWithTfjs(model, session, inputs)).relativeError).toBeLessThanOrEqual(1e-5);
      tf.dispose(inputs);
      await session.release();
    });
    expect(leaked).toBe(0);
    model.dispose();
  });

  it('a config the lowering cannot express (BatchNorm over rows, channels-first Flatten), and nested models', async () => {
    const bn = sequential([tf.layers.conv2d({ filters: 2, kernelSize: 1, inputShape: [4, 4, 2] }), tf.layers.batchNormalization({ axis: 1, name: 'bn_rows' })], 'bn_rows_model');
    const e = await errorOf(() => exportOnnx(bn));
    expect(e.code).toBe('ONNX_UNSUPPORTED_LAYER');
    expect(e.message).toContain('layer "bn_rows" (BatchNormalization) cannot be exported to ONNX: it normalises over axis');
    const inner = sequential([tf.layers.dense({ units: 2, inputShape: [3] })], 'inner');
    const x = tf.input({ shape: [3] });
    const outer = tf.model({ inputs: x, outputs: inner.apply(x) as tf.SymbolicTensor, name: 'outer' });
    const nested = await errorOf(() => exportOnnx(outer));
    expect(nested.message).toMatch(/layer "inner" \((Sequential|Functional|Model)\) has no ONNX lowering/);
    expect(nested.message).toContain('Flatten nested models');
    bn.dispose();
    outer.dispose();
  });

  it('something that is not a LayersModel', async () => {
    expect((await errorOf(() => exportOnnx({} as tf.LayersModel))).code).toBe('GRAPH_NOT_A_LAYERS_MODEL');
  });
});
