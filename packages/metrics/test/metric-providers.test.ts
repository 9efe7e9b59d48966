import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tfjsEngine } from '@whittle/engine';
import dataManifest from '@whittle/data';
import metrics, { meanAbsoluteError, psnr } from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'whittle-metrics-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A model that outputs its input plus `offset` (a 1×1 conv with identity kernel and bias). */
function shifted(offset: number): tf.LayersModel {
  const x = tf.input({ shape: [2, 2, 1] });
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, weights: [tf.ones([1, 1, 1, 1]), tf.fill([1], offset)] });
  return tf.model({ inputs: x, outputs: conv.apply(x) as tf.SymbolicTensor });
}

describe('image metrics', () => {
  it('L1 and PSNR of outputs against targets, batch by batch, leaking nothing', async () => {
    const model = shifted(0.1);
    const exact = shifted(0);
    const x = tf.tensor4d(Array.from({ length: 5 * 4 }, (_, i) => (i % 7) / 7), [5, 2, 2, 1]);
    await withoutLeaks(() => {
      // Every output pixel is 0.1 off its target: L1 0.1, MSE 0.01, PSNR 10·log10(1 / 0.01) = 20 dB.
      expect(meanAbsoluteError(model, { x, y: x }, 2)).toBeCloseTo(0.1, 5);
      expect(psnr(model, { x, y: x }, 3)).toBeCloseTo(20, 3);
      expect(psnr(exact, { x, y: x }, 5)).toBeCloseTo(100, 3); // exact: MSE floored at 1e-10
    });
    expect(() => meanAbsoluteError(model, { x }, 2)).toThrowError(expect.objectContaining({ code: 'TARGET_MISSING' }));
    const wrong = tf.zeros([5, 3]);
    expect(() => psnr(model, { x, y: wrong }, 2)).toThrowError(expect.objectContaining({ code: 'MODEL_OUTPUT_MISMATCH' }));
    tf.dispose([x, wrong]);
    model.dispose();
    exact.dispose();
  });
});

describe('the metrics manifest', () => {
  it('registers params, MACs, accuracy, L1, PSNR, SSIM, high-band L1 and the Fréchet distance, and the three tasks', () => {
    expect(metrics.metrics?.map((m) => m.name)).toEqual(['params', 'macs', 'accuracy', 'l1', 'psnr', 'ssim', 'band-l1-high', 'frechet-fmnist']);
    expect(metrics.tasks?.map((t) => [t.name, t.loss, t.metrics])).toEqual([
      ['classification', 'cross-entropy', ['accuracy']], ['image-to-image', 'l1', ['l1', 'psnr']], ['generative', undefined, []],
    ]);
  });

  it('is what a run summarises with: without it, runPipeline refuses before writing anything', async () => {
    const x = tf.input({ shape: [28, 28, 1] });
    const y = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    await saveModel(model, join(dir, 'model'));
    model.dispose();
    const source = {
      config: {
        name: 'm', seed: 1, backend: 'cpu', model: { path: 'model/model.json' }, data: { provider: 'fashion-mnist-sample', trainLimit: 20, testLimit: 20 },
        // Any stage will do: the example's plain-JavaScript plugin, by a path relative to the pipeline.
        plugins: [relative(dir, fileURLToPath(new URL('../../../examples/custom-plugin/magnitude-sparsity.mjs', import.meta.url)))],
        stages: [{ hook: 'quantize', plugin: 'magnitude-sparsity' }],
      },
      configDir: dir, label: 'm.json',
    };
    await expect(runPipeline(source, { engine: tfjsEngine(), outDir: join(dir, 'none'), logger: silentLogger, defaultManifests: [dataManifest] })).rejects.toMatchObject({ code: 'METRIC_MISSING', exitCode: 2 });
    expect(existsSync(join(dir, 'none'))).toBe(false);
    const report = await runPipeline(source, { engine: tfjsEngine(), outDir: join(dir, 'with'), logger: silentLogger, defaultManifests: [dataManifest, metrics] });
    expect(report.initial?.params).toBe(28 * 28 * 10 + 10);
    expect(report.initial?.macs).toBe(28 * 28 * 10);
    expect(Object.keys(report.initial?.metrics ?? {})).toEqual(['accuracy']);
  });
});
