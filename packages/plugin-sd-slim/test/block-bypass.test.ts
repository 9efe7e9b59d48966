import * as tf from '@tensorflow/tfjs';
import { bypassBlock } from '@whittle/graph';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '@whittle/kernel';
import { blockRedundancy, NoiseSchedule, residualBlocks } from '../src/index.js';
import { maxAbsDiff, oneHotLabels, roundTrip, tinyUNet, unetInputs } from './helpers/tiny-unet.js';

const temp = new TempDir('whittle-sd-slim-bypass-');
afterAll(() => temp.cleanup());
beforeAll(useWasm);

describe('U-Net block bypass', () => {
  it('finds the identity-skip residual blocks and every attention block (not the 1×1-skip blocks or the time-embedding adds)', () => {
    const model = tinyUNet();
    const ends = residualBlocks(model).map((b) => b.to).sort();
    expect(ends).toEqual([
      'down0_res0_add', 'down1_attn0_cross_add', 'down1_attn0_self_add',
      'mid_attn_cross_add', 'mid_attn_self_add', 'mid_res0_add', 'mid_res1_add',
      'up1_attn0_cross_add', 'up1_attn0_self_add', 'up1_attn1_cross_add', 'up1_attn1_self_add',
    ]);
    model.dispose();
  });

  it('bypassing each block keeps every shape valid, changes the output, and the model saves and loads', async () => {
    const model = tinyUNet();
    const inputs = unetInputs(2);
    const original = model.predict(inputs) as tf.Tensor;
    for (const block of residualBlocks(model).filter((b) => ['mid_res1_add', 'mid_attn_cross_add', 'down1_attn0_self_add'].includes(b.to))) {
      await withoutLeaks(async () => {
        const slim = await bypassBlock(model, block);
        expect(slim.layers.some((l) => l.name === block.to)).toBe(false);
        expect(slim.countParams()).toBeLessThan(model.countParams());
        const out = slim.predict(inputs) as tf.Tensor;
        expect(out.shape).toEqual(original.shape);
        expect(maxAbsDiff(out, original)).toBeGreaterThan(0);
        const loaded = await roundTrip(slim, temp, block.to);
        const again = loaded.predict(inputs) as tf.Tensor;
        expect(maxAbsDiff(out, again)).toBe(0);
        tf.dispose([out, again]);
        slim.dispose();
        loaded.dispose();
      });
    }
    tf.dispose([...inputs, original]);
    model.dispose();
  });
});

describe('block redundancy analysis', () => {
  it('measures every block: non-negative deviation, parameters saved, sorted by score per ms; no leaks', async () => {
    const model = tinyUNet();
    const images = tf.randomUniform([2, 8, 8, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
    const labels = oneHotLabels([0, 1], 3);
    const blocks = residualBlocks(model).slice(0, 4);
    const rows = await withoutLeaks(() => blockRedundancy(model, blocks, {
      schedule: NoiseSchedule.create({ kind: 'cosine', steps: 100 }), images, labels, timesteps: 2, rng: SeededRng.from(3), latencyRuns: 2,
    }));
    expect(rows.map((r) => r.block.to).sort()).toEqual(blocks.map((b) => b.to).sort());
    for (const row of rows) {
      expect(row.deviation).toBeGreaterThan(0);
      expect(row.savedParams).toBeGreaterThan(0);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.scorePerMs).toBeGreaterThanOrEqual(rows[i - 1]!.scorePerMs);
    tf.dispose([images, labels]);
    model.dispose();
  });

  it('measures how far bypassing moves the class-guidance direction ε(y) − ε(∅), and ranks by it with conditionWeight', async () => {
    const model = tinyUNet();
    const images = tf.randomUniform([2, 8, 8, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
    const labels = oneHotLabels([0, 1], 3);
    const blocks = residualBlocks(model);
    const options = { schedule: NoiseSchedule.create({ kind: 'cosine', steps: 100 }), images, labels, timesteps: 2, rng: SeededRng.from(3), latencyRuns: 2 } as const;
    for (const conditionWeight of [0, 3]) {
      const rows = await withoutLeaks(() => blockRedundancy(model, blocks, { ...options, rng: SeededRng.from(3), conditionWeight }));
      for (const row of rows) {
        expect(row.conditionDeviation).toBeGreaterThanOrEqual(0);
        expect(row.scorePerMs * Math.max(row.savedMs, 0.01)).toBeCloseTo(row.deviation + conditionWeight * row.conditionDeviation, 5);
      }
      // The class reaches this U-Net only through cross-attention: bypassing one moves the guidance direction.
      for (const row of rows.filter((r) => r.block.to.endsWith('_cross_add'))) expect(row.conditionDeviation).toBeGreaterThan(1e-4);
    }
    tf.dispose([images, labels]);
    model.dispose();
  });
});
