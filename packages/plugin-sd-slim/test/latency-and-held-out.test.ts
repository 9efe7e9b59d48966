import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { NoiseSchedule, noiseBatch, noisePredictionMse, removalForLatency, removeBlocks } from '../src/index.js';
import { maxAbsDiff, tinyUNet, unetInputs } from './helpers/tiny-unet.js';
import { tinyDiffusionData } from './helpers/tiny-data.js';

beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

const RANKED = [{ from: 'mid_attn_self_add', to: 'mid_attn_cross_add' }, { from: 'mid_attn_cross_add', to: 'mid_res1_add' }];

describe('removalForLatency: the fewest ranked blocks whose measured removal reaches a latency target', () => {
  it('reports a measured saving consistent with its verdict, falls short of an unreachable target after trying every block, and frees every candidate', async () => {
    const model = tinyUNet();
    await withoutLeaks(async () => {
      const easy = await removalForLatency(model, RANKED, 0.001, { runs: 3, windows: 2 });
      expect(easy.count).toBeGreaterThanOrEqual(1);
      expect(easy.count).toBeLessThanOrEqual(RANKED.length);
      expect(easy.fullMs).toBeGreaterThan(0);
      expect(easy.slimMs).toBeGreaterThan(0);
      expect(easy.saving).toBeCloseTo(1 - easy.slimMs / easy.fullMs, 12);
      expect(easy.reached).toBe(easy.saving >= 0.001);
      // Two blocks of a two-level U-Net cannot be 95 % of its time: every prefix is tried, the last one reported.
      const far = await removalForLatency(model, RANKED, 0.95, { runs: 3, windows: 2 });
      expect(far.reached).toBe(false);
      expect(far.count).toBe(RANKED.length);
      expect(far.saving).toBeLessThan(0.95);
    });
    // Disposing the candidates left the model whole: it still predicts what it predicted before the plans.
    const inputs = unetInputs(2);
    const before = model.predict(inputs) as tf.Tensor;
    await removalForLatency(model, RANKED, 0.95, { runs: 1, windows: 1 });
    const after = model.predict(inputs) as tf.Tensor;
    expect(maxAbsDiff(before, after)).toBe(0);
    tf.dispose([...inputs, before, after]);
    await expect(removalForLatency(model, RANKED, 0)).rejects.toThrow(/target must be in \(0, 1\)/);
    model.dispose();
  });
});

describe('noisePredictionMse: ε-prediction error on held-out images', () => {
  it('equals the MSE of the model on the same seeded noised batch, is the same for the same seed, and tells two models apart', async () => {
    const model = tinyUNet();
    const data = tinyDiffusionData();
    const schedule = NoiseSchedule.create({ kind: 'cosine', steps: 100 });
    const { x, y } = data.test!;
    const { model: slim } = await removeBlocks(model, RANKED);
    await withoutLeaks(async () => {
      const mse = await noisePredictionMse(model, x as tf.Tensor4D, y as tf.Tensor2D, schedule, SeededRng.from(3, 'held-out'));
      const batch = noiseBatch(x as tf.Tensor4D, y as tf.Tensor2D, schedule, SeededRng.from(3, 'held-out'));
      const direct = tf.tidy(() => tf.mean(tf.square(tf.sub(model.predict([batch.noisy, batch.timesteps, batch.labels]) as tf.Tensor, batch.noise))).dataSync()[0] as number);
      batch.dispose();
      expect(mse).toBeGreaterThan(0);
      expect(Math.abs(mse - direct)).toBeLessThanOrEqual(1e-6 * direct);
      expect(await noisePredictionMse(model, x as tf.Tensor4D, y as tf.Tensor2D, schedule, SeededRng.from(3, 'held-out'))).toBe(mse);
      // Batches of 4 (a full and a partial one) and two rounds: every element counted once per round.
      const rounds = await noisePredictionMse(model, x as tf.Tensor4D, y as tf.Tensor2D, schedule, SeededRng.from(3, 'held-out'), { rounds: 2, batchSize: 4 });
      expect(Number.isFinite(rounds) && rounds > 0).toBe(true);
      expect(await noisePredictionMse(slim, x as tf.Tensor4D, y as tf.Tensor2D, schedule, SeededRng.from(3, 'held-out'))).not.toBe(mse);
    });
    slim.dispose();
    model.dispose();
    data.dispose();
  });
});
