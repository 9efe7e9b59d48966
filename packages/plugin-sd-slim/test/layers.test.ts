import * as tf from '@tensorflow/tfjs';
import { layerCosts, layerOperationsOf } from '@whittle/graph';
import { PluginRegistry } from '@whittle/kernel';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest, { multiHeadAttention, SinusoidalTimeEmbedding } from '../src/index.js';
import { maxAbsDiff, roundTrip, tinyUNet, unetInputs } from './helpers/tiny-unet.js';

const temp = new TempDir('whittle-sd-slim-layers-');
afterAll(() => temp.cleanup());
beforeAll(useWasm);

describe('custom diffusion layers', () => {
  it('SinusoidalTimeEmbedding computes [sin(t·f_i), cos(t·f_i)] with f_i = 10000^(−i/h)', async () => {
    await withoutLeaks(() => {
      const layer = new SinusoidalTimeEmbedding({ dim: 4 });
      const out = tf.tidy(() => (layer.apply(tf.tensor2d([[0], [3]])) as tf.Tensor).arraySync() as number[][]);
      const f = [1, 10000 ** -0.5];
      const expected = [0, 3].map((t) => [Math.sin(t * f[0]!), Math.sin(t * f[1]!), Math.cos(t * f[0]!), Math.cos(t * f[1]!)]);
      out.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 5));
    });
  });

  it('multiHeadAttention equals a per-head softmax(QKᵀ/√d)V written out by hand', async () => {
    await withoutLeaks(() => {
      const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
      const k = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2) as tf.Tensor3D;
      const v = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
      const got = multiHeadAttention(q, k, v, 2);
      const heads = [0, 1].map((h) => tf.tidy(() => {
        const part = (t: tf.Tensor3D) => tf.slice(t, [0, 0, 2 * h], [-1, -1, 2]) as tf.Tensor3D;
        return tf.matMul(tf.softmax(tf.div(tf.matMul(part(q), part(k), false, true), Math.sqrt(2))), part(v));
      }));
      const expected = tf.concat(heads, 2);
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
      tf.dispose([q, k, v, got, expected, ...heads]);
    });
  });

  it('the U-Net predicts noise of the image shape and round-trips through save/load with identical outputs', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      const classes = new Set(model.layers.map((l) => l.getClassName()));
      for (const c of ['SinusoidalTimeEmbedding', 'SpatialSelfAttention', 'CrossAttention']) expect(classes.has(c)).toBe(true);
      const inputs = unetInputs(2);
      const before = model.predict(inputs) as tf.Tensor;
      expect(before.shape).toEqual([2, 8, 8, 1]);
      const loaded = await roundTrip(model, temp, 'unet');
      const after = loaded.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(before, after)).toBe(0);
      tf.dispose([...inputs, before, after]);
      loaded.dispose();
    });
    model.dispose();
  });

  it('the manifest registers layer operations that count the attention MACs', async () => {
    const ops = layerOperationsOf(new PluginRegistry([manifest]));
    const model = tinyUNet();
    const costs = layerCosts(model, ops);
    const self = costs.find((c) => c.layer === 'mid_attn_self_attn');
    const cross = costs.find((c) => c.layer === 'mid_attn_cross_attn');
    // Middle: 4×4 positions (N = 16), C = I = U = 16; context T = 2 tokens of D = 8.
    expect(self?.macs).toBe(3 * 16 * 16 * 16 + 2 * 16 * 16 * 16 + 16 * 16 * 16);
    expect(cross?.macs).toBe(16 * 16 * 16 + 2 * 2 * 8 * 16 + 2 * 16 * 2 * 16 + 16 * 16 * 16);
    expect(self?.params).toBe(4 * (16 * 16 + 16));
    model.dispose();
  });
});
