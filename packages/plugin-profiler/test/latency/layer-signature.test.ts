import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureKey, signatureOfLayer, withChannels, type LayerSignature } from '../../src/index.js';
import { leakedBy, useWasm } from '../helpers/wasm-backend.js';

const target = { backend: 'wasm', adapter: null, batch: 2 } as const;

const conv: LayerSignature = {
  op: 'conv2d', batch: 1, cin: 16, cout: 32, height: 32, width: 32, kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
  padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};

/** The signature of each layer of a model, by name (first call). */
function signaturesOf(model: tf.LayersModel): Map<string, LayerSignature | undefined> {
  return new Map(model.layers.map((l) => {
    const shapes = l.inboundNodes[0]!.inputShapes as (number | null)[] | (number | null)[][];
    const shape = (Array.isArray(shapes[0]) ? shapes[0] : shapes) as (number | null)[];
    return [l.name, signatureOfLayer({ className: l.getClassName(), config: l.getConfig() as Record<string, unknown> }, shape, target)];
  }));
}

beforeAll(useWasm);

describe('layer signatures', () => {
  it('have stable keys in HALP field order, with backend and adapter', () => {
    expect(signatureKey(conv)).toBe('conv2d_bs1_cin16_cout32_fmap32x32_k3x3_s1x1_g1_m1_d1x1_same@wasm');
    expect(signatureKey({ ...conv, backend: 'webgpu', adapter: 'NVIDIA H200' })).toBe('conv2d_bs1_cin16_cout32_fmap32x32_k3x3_s1x1_g1_m1_d1x1_same@webgpu/NVIDIA H200');
    expect(signatureKey({ ...conv })).toBe(signatureKey(conv));
    expect(signatureKey(withChannels(conv, 8, 24))).toBe('conv2d_bs1_cin8_cout24_fmap32x32_k3x3_s1x1_g1_m1_d1x1_same@wasm');
  });

  it('change depthwise outputs and groups with their input channels', () => {
    const dw: LayerSignature = { ...conv, op: 'depthwise', cin: 16, cout: 32, groups: 16, multiplier: 2 };
    expect(withChannels(dw, 8, 999)).toMatchObject({ cin: 8, cout: 16, groups: 8 });
  });

  it('are read from real tfjs layers (conv, depthwise, separable, transposed, dense after flatten)', async () => {
    expect(await leakedBy(async () => {
      const x = tf.input({ shape: [12, 10, 3] });
      let y = tf.layers.conv2d({ name: 'c', filters: 8, kernelSize: [3, 5], strides: 2, padding: 'valid', dilationRate: 1 }).apply(x) as tf.SymbolicTensor;
      y = tf.layers.batchNormalization({ name: 'bn' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.separableConv2d({ name: 'sep', filters: 6, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.conv2dTranspose({ name: 'up', filters: 4, kernelSize: 2, strides: 2, padding: 'same' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.dense({ name: 'fc', units: 5 }).apply(tf.layers.flatten().apply(y) as tf.SymbolicTensor) as tf.SymbolicTensor;
      const model = tf.model({ inputs: x, outputs: y });
      const s = signaturesOf(model);
      expect(s.get('c')).toMatchObject({ op: 'conv2d', batch: 2, cin: 3, cout: 8, height: 12, width: 10, kernel: [3, 5], stride: [2, 2], padding: 'valid', groups: 1 });
      expect(s.get('bn')).toBeUndefined();
      expect(s.get('dw')).toMatchObject({ op: 'depthwise', cin: 8, cout: 16, height: 5, width: 3, groups: 8, multiplier: 2 });
      expect(s.get('sep')).toMatchObject({ op: 'separable', cin: 16, cout: 6, groups: 16, multiplier: 1 });
      expect(s.get('up')).toMatchObject({ op: 'conv2d-transpose', cin: 6, cout: 4, height: 5, width: 3, stride: [2, 2] });
      expect(s.get('fc')).toMatchObject({ op: 'dense', cin: 10 * 6 * 4, cout: 5, height: 1, width: 1 });
      model.dispose();
    })).toBe(0);
  });

  it('are undefined for layers the table does not model', () => {
    const config = { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dataFormat: 'channelsFirst' };
    expect(signatureOfLayer({ className: 'Conv2D', config }, [null, 3, 8, 8], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'Conv1D', config: { ...config, dataFormat: 'channelsLast' } }, [null, 8, 3], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'Conv2D', config: { ...config, dataFormat: 'channelsLast' } }, [null, null, 8, 3], target)).toBeUndefined();
  });
});
