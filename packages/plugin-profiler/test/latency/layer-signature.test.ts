import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelsFollowInput, PASSTHROUGH_OPS, signatureKey, signatureOfLayer, WEIGHTED_OPS, withChannels, type LayerSignature } from '../../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

const target = { backend: 'wasm', adapter: null, batch: 2 } as const;

const conv: LayerSignature = {
  op: 'conv2d', batch: 1, cin: 16, cout: 32, height: 32, width: 32, kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
  padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};

/** The signature of each layer of a model, by name (first call). */
function signaturesOf(model: tf.LayersModel): Map<string, LayerSignature | undefined> {
  return new Map(model.layers.map((l) => {
    const shapes = l.inboundNodes[0]!.inputShapes as (number | null)[] | (number | null)[][];
    return [l.name, signatureOfLayer({ className: l.getClassName(), config: l.getConfig() as Record<string, unknown> }, shapes, target)];
  }));
}

const bn: LayerSignature = { ...conv, op: 'batch-norm', cin: 16, cout: 16, kernel: [1, 1], padding: 'valid', groups: 16 };

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

  it('key passthrough ops by channels, feature map and what the op does', () => {
    expect(signatureKey(bn)).toBe('batch-norm_bs1_c16_fmap32x32@wasm');
    expect(signatureKey({ ...bn, op: 'activation', activation: 'relu6' })).toBe('activation_relu6_bs1_c16_fmap32x32@wasm');
    expect(signatureKey({ ...bn, op: 'merge', merge: 'add', inputs: 3 })).toBe('merge_add_n3_bs1_c16_fmap32x32@wasm');
    expect(signatureKey({ ...bn, op: 'max-pool', kernel: [3, 3], stride: [2, 2], padding: 'same' })).toBe('max-pool_bs1_c16_fmap32x32_k3x3_s2x2_same@wasm');
    expect(signatureKey({ ...bn, op: 'global-avg-pool', adapter: 'GPU' })).toBe('global-avg-pool_bs1_c16_fmap32x32@wasm/GPU');
    expect(signatureKey({ ...bn, op: 'zero-pad', pads: [1, 0, 2, 1] })).toBe('zero-pad_bs1_c16_fmap32x32_p1x0x2x1@wasm');
    // Their output follows the input: cout is ignored.
    expect(withChannels({ ...bn, op: 'merge', merge: 'maximum', inputs: 2 }, 8, 999)).toEqual({ ...bn, op: 'merge', merge: 'maximum', inputs: 2, cin: 8, cout: 8, groups: 8 });
    expect(PASSTHROUGH_OPS.every(channelsFollowInput)).toBe(true);
    expect(WEIGHTED_OPS.filter(channelsFollowInput)).toEqual(['depthwise']);
  });

  it('are read from BatchNorm, activation, merge, pooling and padding layers', async () => {
    expect(await leakedBy(async () => {
      const x = tf.input({ shape: [9, 10, 4] });
      const b = tf.layers.batchNormalization({ name: 'bn' }).apply(x) as tf.SymbolicTensor;
      const r = tf.layers.reLU({ name: 'r' }).apply(b) as tf.SymbolicTensor;
      const r6 = tf.layers.reLU({ name: 'r6', maxValue: 6 }).apply(r) as tf.SymbolicTensor;
      const a6 = tf.layers.activation({ name: 'a6', activation: 'relu6' }).apply(r6) as tf.SymbolicTensor;
      const lk = tf.layers.leakyReLU({ name: 'lk' }).apply(a6) as tf.SymbolicTensor;
      const sum = tf.layers.add({ name: 'sum' }).apply([r, r6, lk]) as tf.SymbolicTensor;
      const lin = tf.layers.activation({ name: 'lin', activation: 'linear' }).apply(sum) as tf.SymbolicTensor;
      const pad = tf.layers.zeroPadding2d({ name: 'pad', padding: [[1, 0], [2, 1]] }).apply(lin) as tf.SymbolicTensor;
      const mp = tf.layers.maxPooling2d({ name: 'mp', poolSize: 3, strides: 2, padding: 'same' }).apply(pad) as tf.SymbolicTensor;
      const ap = tf.layers.averagePooling2d({ name: 'ap', poolSize: [2, 1] }).apply(mp) as tf.SymbolicTensor;
      const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(ap) as tf.SymbolicTensor;
      const gmp = tf.layers.globalMaxPooling2d({ name: 'gmp' }).apply(ap) as tf.SymbolicTensor;
      const mul = tf.layers.multiply({ name: 'mul' }).apply([gap, gmp]) as tf.SymbolicTensor;
      const bc = tf.layers.add({ name: 'broadcast' }).apply([x, tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor]) as tf.SymbolicTensor;
      const model = tf.model({ inputs: x, outputs: [mul, bc] });
      const s = signaturesOf(model);
      const each = { batch: 2, groups: 4, multiplier: 1, dilation: [1, 1], backend: 'wasm', adapter: null };
      expect(s.get('bn')).toEqual({ ...each, op: 'batch-norm', cin: 4, cout: 4, height: 9, width: 10, kernel: [1, 1], stride: [1, 1], padding: 'valid' });
      expect(s.get('r')).toMatchObject({ op: 'activation', activation: 'relu', cin: 4, height: 9, width: 10 });
      expect(s.get('r6')).toMatchObject({ op: 'activation', activation: 'relu-max' });
      expect(s.get('a6')).toMatchObject({ op: 'activation', activation: 'relu6' });
      expect(s.get('lk')).toMatchObject({ op: 'activation', activation: 'leaky-relu' });
      expect(s.get('sum')).toMatchObject({ op: 'merge', merge: 'add', inputs: 3, cin: 4, cout: 4, height: 9, width: 10 });
      expect(s.get('lin')).toBeUndefined();
      expect(s.get('pad')).toMatchObject({ op: 'zero-pad', pads: [1, 0, 2, 1], height: 9, width: 10 });
      expect(s.get('mp')).toMatchObject({ op: 'max-pool', kernel: [3, 3], stride: [2, 2], padding: 'same', height: 10, width: 13 });
      expect(s.get('ap')).toMatchObject({ op: 'avg-pool', kernel: [2, 1], stride: [2, 1], padding: 'valid', height: 5, width: 7 });
      expect(s.get('gap')).toMatchObject({ op: 'global-avg-pool', height: 2, width: 7 });
      expect(s.get('gmp')).toMatchObject({ op: 'global-max-pool', height: 2, width: 7 });
      // A merge after global pooling works on [batch, channels]: a 1×1 feature map.
      expect(s.get('mul')).toMatchObject({ op: 'merge', merge: 'multiply', inputs: 2, cin: 4, height: 1, width: 1 });
      // Broadcasting merges (a width-1 input) are left to the constant.
      expect(s.get('broadcast')).toBeUndefined();
      model.dispose();
    })).toBe(0);
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
      expect(s.get('bn')).toMatchObject({ op: 'batch-norm', cin: 8, cout: 8, height: 5, width: 3 });
      expect(s.get('dw')).toMatchObject({ op: 'depthwise', cin: 8, cout: 16, height: 5, width: 3, groups: 8, multiplier: 2 });
      expect(s.get('sep')).toMatchObject({ op: 'separable', cin: 16, cout: 6, groups: 16, multiplier: 1 });
      expect(s.get('up')).toMatchObject({ op: 'conv2d-transpose', cin: 6, cout: 4, height: 5, width: 3, stride: [2, 2] });
      expect(s.get('fc')).toMatchObject({ op: 'dense', cin: 10 * 6 * 4, cout: 5, height: 1, width: 1 });
      model.dispose();
    })).toBe(0);
  });

  it('are undefined for layers the table does not model', () => {
    expect(signatureOfLayer({ className: 'MaxPooling2D', config: { poolSize: [2, 2], strides: [2, 2], padding: 'valid', dataFormat: 'channelsFirst' } }, [null, 3, 8, 8], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'BatchNormalization', config: { axis: 1 } }, [null, 3, 8, 8], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'BatchNormalization', config: { axis: 3 } }, [null, 8, 8, 3], target)).toMatchObject({ op: 'batch-norm', cin: 3 });
    expect(signatureOfLayer({ className: 'Activation', config: { activation: 'softmax' } }, [null, 8, 8, 3], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'Flatten', config: {} }, [null, 8, 8, 3], target)).toBeUndefined();
    const config = { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dataFormat: 'channelsFirst' };
    expect(signatureOfLayer({ className: 'Conv2D', config }, [null, 3, 8, 8], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'Conv1D', config: { ...config, dataFormat: 'channelsLast' } }, [null, 8, 3], target)).toBeUndefined();
    expect(signatureOfLayer({ className: 'Conv2D', config: { ...config, dataFormat: 'channelsLast' } }, [null, null, 8, 3], target)).toBeUndefined();
  });
});
