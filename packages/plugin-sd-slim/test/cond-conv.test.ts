import * as tf from '@tensorflow/tfjs';
import { replaceLayer } from '@whittle/graph';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CondConv2D, condConvSpec } from '../src/index.js';
import { maxAbsDiff, roundTrip, tinyUNet, unetInputs } from './helpers/tiny-unet.js';

const temp = new TempDir('whittle-sd-slim-condconv-');
afterAll(() => temp.cleanup());
beforeAll(useWasm);

describe('CLME-CondConv', () => {
  it('mixes one kernel per example: each output equals conv(x_b, Σ a_bi W_i) + Σ a_bi b_i', async () => {
    await withoutLeaks(() => {
      const layer = new CondConv2D({ filters: 3, kernelSize: 3, padding: 'same', experts: 2, routerBias: [0.5, -0.5], gates: [1, 0.7] });
      const x = tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 9) as tf.Tensor4D;
      tf.dispose(layer.apply(x) as tf.Tensor); // builds
      const [kernels, biases, , routerBias, gates] = layer.getWeights() as tf.Tensor[];
      const router = tf.randomNormal([4, 2], 0, 1, 'float32', 4);
      layer.setWeights([kernels!, biases!, router, routerBias!, gates!]);
      router.dispose();
      const y = layer.apply(x) as tf.Tensor;
      const expected = tf.tidy(() => {
        const a = layer.mixingWeights(x).arraySync();
        return tf.concat(a.map((ab, b) => {
          const kernel = tf.addN(ab.map((ai, i) => tf.mul(ai, tf.gather(layer.getWeights()[0]!, i))));
          const bias = tf.addN(ab.map((ai, i) => tf.mul(ai, tf.gather(layer.getWeights()[1]!, i))));
          return tf.add(tf.conv2d(tf.slice(x, [b, 0, 0, 0], [1, -1, -1, -1]), kernel as tf.Tensor4D, 1, 'same'), bias);
        }), 0);
      });
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
      tf.dispose([x, y, expected]);
      layer.dispose();
    });
  });

  it('replacing a U-Net conv by a CondConv with a removed same-shape conv as expert leaves the model unchanged (≤ 1e-5), and it saves and loads', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      const spec = condConvSpec(model.getLayer('mid_res0_conv2'), [model.getLayer('mid_res1_conv2')]);
      const swapped = await replaceLayer(model, 'mid_res0_conv2', spec);
      tf.dispose([...spec.weights]);
      expect(swapped.getLayer('mid_res0_conv2').getClassName()).toBe('CondConv2D');
      const inputs = unetInputs(3);
      const original = model.predict(inputs) as tf.Tensor;
      const mixed = swapped.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(original, mixed)).toBeLessThanOrEqual(1e-5);
      const loaded = await roundTrip(swapped, temp, 'condconv');
      const reloaded = loaded.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(mixed, reloaded)).toBe(0);
      tf.dispose([...inputs, original, mixed, reloaded]);
      swapped.dispose();
      loaded.dispose();
    });
    model.dispose();
  });

  it('refuses experts of another shape, naming both layers', () => {
    const model = tinyUNet();
    expect(() => condConvSpec(model.getLayer('mid_res0_conv2'), [model.getLayer('down0_res0_conv2')])).toThrow(/down0_res0_conv2.*mid_res0_conv2/);
    expect(() => condConvSpec(model.getLayer('time_dense1'), [])).toThrow(/not a Conv2D/);
    model.dispose();
  });
});
