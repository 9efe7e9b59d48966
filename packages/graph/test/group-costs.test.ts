import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupCosts } from '../src/index.js';
import { useWasm } from '@whittle/testing';

describe('groupCosts', () => {
  beforeAll(useWasm);

  it('prices one channel of conv1 (3×3, 3 → 16, 32×32) feeding conv2 (3×3, 16 → 32) by hand-computed numbers', () => {
    const x = tf.input({ shape: [32, 32, 3] });
    const c1 = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', name: 'conv1' }).apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn1' }).apply(c1) as tf.SymbolicTensor;
    const c2 = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', useBias: false, name: 'conv2' }).apply(bn) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.globalAveragePooling2d({}).apply(c2) as tf.SymbolicTensor });
    const [cost] = groupCosts(model, ['conv1']);
    expect(cost).toEqual({
      group: 'conv1',
      channels: 16,
      // conv1: 3·3·3 + 1 bias; bn1: gamma, beta, mean, variance; conv2: 3·3·32.
      params: 28 + 4 + 288,
      // conv1: 32·32 positions × 27; conv2: 32·32 positions × 9 × 32.
      macs: 1024 * 27 + 1024 * 288,
      layers: [
        { layer: 'conv1', params: 28, macs: 27648 },
        { layer: 'bn1', params: 4, macs: 0 },
        { layer: 'conv2', params: 288, macs: 294912 },
      ],
    });
    expect(() => groupCosts(model, ['nope'])).toThrow(/no group "nope"/);
    model.dispose();
  });
});
