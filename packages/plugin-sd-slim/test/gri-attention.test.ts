import * as tf from '@tensorflow/tfjs';
import { replaceLayer } from '@whittle/graph';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GriAttention, griSpec, SpatialSelfAttention } from '../src/index.js';
import { maxAbsDiff, roundTrip, tinyUNet, unetInputs } from './helpers/tiny-unet.js';

const temp = new TempDir('whittle-sd-slim-gri-');
afterAll(() => temp.cleanup());
beforeAll(useWasm);

/** A self-attention and a GRI attention built on [B, 4, 4, 8] with the same projection weights. */
function pair(window: number, poolStride: number): { full: SpatialSelfAttention; gri: GriAttention; x: tf.Tensor4D } {
  const x = tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 3) as tf.Tensor4D;
  const full = new SpatialSelfAttention({ heads: 2 });
  const gri = new GriAttention({ heads: 2, window, poolStride });
  tf.dispose([full.apply(x) as tf.Tensor, gri.apply(x) as tf.Tensor]);
  gri.setWeights(full.getWeights());
  return { full, gri, x };
}

describe('GRI attention', () => {
  it('with one region covering the whole map equals full attention (≤ 1e-5)', async () => {
    await withoutLeaks(() => {
      const { full, gri, x } = pair(4, 2);
      const a = full.apply(x) as tf.Tensor;
      const b = gri.apply(x) as tf.Tensor;
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
      tf.dispose([a, b, x]);
      full.dispose();
      gri.dispose();
    });
  });

  it('without global tokens is self-attention inside each window; with them it differs', async () => {
    await withoutLeaks(() => {
      const { full, gri, x } = pair(2, 0);
      const windowed = gri.apply(x) as tf.Tensor;
      const expected = tf.tidy(() => {
        const rows = [0, 2].map((r) => tf.concat([0, 2].map((c) => full.apply(tf.slice(x, [0, r, c, 0], [-1, 2, 2, -1])) as tf.Tensor), 2));
        return tf.concat(rows, 1);
      });
      expect(maxAbsDiff(windowed, expected)).toBeLessThanOrEqual(1e-5);
      const withGlobal = new GriAttention({ heads: 2, window: 2, poolStride: 2 });
      tf.dispose(withGlobal.apply(x) as tf.Tensor);
      withGlobal.setWeights(full.getWeights());
      const g = withGlobal.apply(x) as tf.Tensor;
      expect(maxAbsDiff(g, windowed)).toBeGreaterThan(1e-4);
      tf.dispose([x, windowed, expected, g]);
      full.dispose();
      gri.dispose();
      withGlobal.dispose();
    });
  });

  it('swaps into the U-Net from the original weights, keeps its output at a whole-map window, and saves and loads', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      // down1 is 4×4: window 4 covers it.
      const swapped = await replaceLayer(model, 'down1_attn0_self_attn', griSpec(model.getLayer('down1_attn0_self_attn'), { window: 4, poolStride: 2 }));
      const regional = await replaceLayer(model, 'down1_attn0_self_attn', griSpec(model.getLayer('down1_attn0_self_attn'), { window: 2, poolStride: 2 }));
      const inputs = unetInputs(2);
      const original = model.predict(inputs) as tf.Tensor;
      const same = swapped.predict(inputs) as tf.Tensor;
      const changed = regional.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(original, same)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(original, changed)).toBeGreaterThan(1e-5);
      const loaded = await roundTrip(regional, temp, 'gri');
      expect(loaded.getLayer('down1_attn0_self_attn').getClassName()).toBe('GriAttention');
      const reloaded = loaded.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(changed, reloaded)).toBe(0);
      tf.dispose([...inputs, original, same, changed, reloaded]);
      swapped.dispose();
      regional.dispose();
      loaded.dispose();
    });
    model.dispose();
  });

  it('refuses a window that does not divide the map', () => {
    const gri = new GriAttention({ heads: 2, window: 3, poolStride: 0 });
    expect(() => gri.apply(tf.input({ shape: [4, 4, 8] }))).toThrow(/window 3 does not divide the 4×4 map/);
  });
});
