import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runStage } from '@whittle/kernel';
import { selectBackend } from '@whittle/engine';
import metrics from '@whittle/metrics';
import { errorOf, TempDir } from '@whittle/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pix2PixPlugin, WaveletKdPlugin } from '../src/index.js';
import { tinyGenerator, tinyPairs, weightValues } from './fixtures.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const temp = new TempDir('wkd-stage-');
afterAll(() => temp.cleanup());

const TINY = { steps: 3, batchSize: 4, levels: 2, discriminatorWidth: 2, discriminatorDownsamplings: 2 };

describe('wavelet-kd stage', () => {
  it('trains the student only (teacher weights unchanged), saves the discriminator and the grid, leaks nothing', async () => {
    const data = tinyPairs(16);
    const teacher = tinyGenerator(4, 1);
    const student = tinyGenerator(2, 2);
    const before = tf.memory().numTensors;
    const [teacherBefore, studentBefore] = [weightValues(teacher), weightValues(student)];
    const outDir = temp.path('wkd');
    const { value, metrics: record } = await runStage(WaveletKdPlugin, {
      model: student, teacher, data, outDir, manifests: [metrics],
      options: { ...TINY, distillation: 'wavelet', bands: 'high', gridImages: 3, evaluate: false },
    });
    expect(value).toBe(student);
    expect(tf.memory().numTensors).toBe(before);
    for (const [name, values] of weightValues(teacher)) expect(values, name).toEqual(teacherBefore.get(name));
    const studentAfter = weightValues(student);
    const changed = [...studentBefore].filter(([name, values]) => studentAfter.get(name)!.some((v, i) => v !== values[i]));
    expect(changed.length).toBeGreaterThan(student.trainableWeights.length / 2);
    expect(record).toMatchObject({ steps: 3, distillation: 'wavelet-high', discriminatorWidth: 2, teacherOutputs: 'computed', gridRows: 'input, target, teacher, student' });
    expect(record.finalDistillLoss).toBeGreaterThan(0);
    const grid = await sharp(join(outDir, String(record.grid))).metadata();
    // 3 examples × 16 px × scale 3 + 4 gaps of 2; 4 rows.
    expect([grid.width, grid.height]).toEqual([3 * 48 + 4 * 2, 4 * 48 + 5 * 2]);
    expect(existsSync(join(outDir, String(record.discriminator), 'model.json'))).toBe(true);
    // report.html items beside the grid: the picture with alt text, and the losses per step (3 steps, one row each).
    const stageDir = join(outDir, dirname(String(record.grid)));
    const item = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(stageDir, file), 'utf8')) as Record<string, unknown>;
    expect(item('grid.report.json')).toMatchObject({ kind: 'image', file: 'grid.png', alt: expect.stringContaining('rows from top: input, target, teacher, student') });
    const generator = item('generator-loss.report.json') as { kind: string; x: string; rows: Record<string, number>[] };
    expect(generator.kind).toBe('series');
    expect(generator.rows.map((r) => r['step'])).toEqual([1, 2, 3]);
    expect(generator.rows.every((r) => Number.isFinite(r['generator loss']))).toBe(true);
    const discriminator = item('discriminator-loss.report.json') as { rows: Record<string, number>[] };
    expect(discriminator.rows.every((r) => r['discriminator loss']! > 0)).toBe(true);
    const reconstruction = item('reconstruction-losses.report.json') as { rows: Record<string, number>[] };
    expect(reconstruction.rows.at(-1)!['distillation loss (teacher)']).toBeGreaterThan(0);
    teacher.dispose();
    student.dispose();
    data.dispose();
  });

  it('pixel KD and no KD run the same loop (no distillation loss without a teacher term)', async () => {
    const data = tinyPairs(12);
    const teacher = tinyGenerator(4, 1);
    const student = tinyGenerator(2, 2);
    const none = await runStage(WaveletKdPlugin, { model: student, teacher, data, options: { ...TINY, distillation: 'none', gridImages: 0, evaluate: false } });
    expect(none.metrics.finalDistillLoss).toBe(0);
    const pixel = await runStage(WaveletKdPlugin, { model: student, teacher, data, options: { ...TINY, distillation: 'pixel', gridImages: 0, evaluate: false } });
    expect(pixel.metrics.finalDistillLoss).toBeGreaterThan(0);
    teacher.dispose();
    student.dispose();
    data.dispose();
  });

  it('compares the bands in pixel units by default (the same run as bandUnits "pixel", not as "orthonormal")', async () => {
    const data = tinyPairs(12);
    const teacher = tinyGenerator(4, 1);
    const distillLoss = async (bandUnits?: 'pixel' | 'orthonormal'): Promise<unknown> => {
      const student = tinyGenerator(2, 2);
      const { metrics: record } = await runStage(WaveletKdPlugin, { model: student, teacher, data, seed: 4, options: { ...TINY, ...(bandUnits === undefined ? {} : { bandUnits }), gridImages: 0, evaluate: false } });
      student.dispose();
      return record.finalDistillLoss;
    };
    const [byDefault, pixel, orthonormal] = [await distillLoss(), await distillLoss('pixel'), await distillLoss('orthonormal')];
    expect(byDefault).toBeGreaterThan(0);
    expect(byDefault).toBe(pixel);
    // Orthonormal level-j terms are 2^j× the pixel ones (j ≥ 1), so the same run's loss is larger.
    expect(orthonormal).toBeGreaterThan(1.5 * (pixel as number));
    teacher.dispose();
    data.dispose();
  });

  it('refuses a teacher whose output does not match the targets, and classification data', async () => {
    const data = tinyPairs(8);
    const student = tinyGenerator(2, 2);
    const wrong = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 3, kernelSize: 1 })] });
    const error = await errorOf(() => runStage(WaveletKdPlugin, { model: student, teacher: wrong, data, options: { ...TINY, evaluate: false } }));
    expect(error.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(error.message).toMatch(/teacher/);
    const classification = { ...data, task: 'classification' };
    expect((await errorOf(() => runStage(WaveletKdPlugin, { model: student, teacher: student, data: classification, options: { ...TINY, evaluate: false } }))).code).toBe('TASK_UNSUPPORTED');
    expect((await errorOf(() => runStage(WaveletKdPlugin, { model: student, teacher: student, data, options: { ...TINY, levels: 5 } }))).code).toBe('WKD_BAD_LEVELS');
    student.dispose();
    wrong.dispose();
    data.dispose();
  });
});

describe('pix2pix stage', () => {
  it('trains a generator as a GAN and saves its discriminator', async () => {
    const data = tinyPairs(12);
    const generator = tinyGenerator(2, 3);
    const before = tf.memory().numTensors;
    const outDir = temp.path('pix2pix');
    const { metrics: record } = await runStage(Pix2PixPlugin, { model: generator, data, outDir, options: { steps: 2, batchSize: 4, discriminatorWidth: 2, discriminatorDownsamplings: 2 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(record.steps).toBe(2);
    expect(Number.isFinite(record.finalL1)).toBe(true);
    expect(existsSync(join(outDir, String(record.discriminator), 'model.json'))).toBe(true);
    generator.dispose();
    data.dispose();
  });
});
