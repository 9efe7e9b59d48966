import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ddimSample, diffusionTrainStep, NoiseSchedule } from '../src/index.js';
import { maxAbsDiff, oneHotLabels, tinyUNet } from './helpers/tiny-unet.js';

beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

describe('DDIM sampling and DDPM training', () => {
  it('the same seed gives identical samples, another seed different ones, guidance changes them; no leaks', async () => {
    const model = tinyUNet();
    const schedule = NoiseSchedule.create({ kind: 'cosine', steps: 100 });
    await withoutLeaks(() => {
      const labels = oneHotLabels([0, 2], 3);
      const a = ddimSample(model, schedule, labels, [8, 8, 1], { steps: 4, seed: 7 });
      const b = ddimSample(model, schedule, labels, [8, 8, 1], { steps: 4, seed: 7 });
      const c = ddimSample(model, schedule, labels, [8, 8, 1], { steps: 4, seed: 8 });
      const g = ddimSample(model, schedule, labels, [8, 8, 1], { steps: 4, seed: 7, guidance: 3 });
      expect(a.shape).toEqual([2, 8, 8, 1]);
      expect(maxAbsDiff(a, b)).toBe(0);
      expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(a, g)).toBeGreaterThan(1e-4);
      expect(tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0])).toBeLessThanOrEqual(1);
      tf.dispose([labels, a, b, c, g]);
    });
    model.dispose();
  });

  it('a training step minimises the ε-prediction MSE: repeated steps on one batch lower it', async () => {
    const model = tinyUNet();
    const schedule = NoiseSchedule.create({ kind: 'linear', steps: 100 });
    const optimizer = tf.train.adam(3e-3);
    const x0 = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 3), 2), 1)) as tf.Tensor4D;
    const y = oneHotLabels([0, 1, 2, 0], 3);
    // Warm-up step: creates the optimizer's slots (kept tensors, not leaks).
    diffusionTrainStep(model, optimizer, x0, y, schedule, SeededRng.from(1, 'warm'));
    const losses = await withoutLeaks(() => Array.from({ length: 12 }, () => diffusionTrainStep(model, optimizer, x0, y, schedule, SeededRng.from(1, 'same-batch'), 0.1)));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    tf.dispose([x0, y]);
    optimizer.dispose();
    model.dispose();
  });
});
