import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, silentLogger } from '@whittle/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import metrics from '@whittle/metrics';

/** The metric providers and tasks a run gets besides its plugins (the CLI passes the same). */
const manifests = [metrics];

const out = mkdtempSync(join(tmpdir(), 'whittle-image-to-image-'));
beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const pipeline = (stages: unknown[]) => ({
  config: {
    name: 'image-to-image', seed: 3, backend: 'wasm',
    // Resolved from this folder: the package's source and a fixture package with paired images and a tiny U-Net.
    plugins: ['../src/index.ts', './fixtures/paired-images.ts'],
    model: { builder: 'tiny-unet' },
    data: { provider: 'paired-blur', options: { n: 48 } },
    stages,
  },
  configDir: fileURLToPath(new URL('.', import.meta.url)),
  label: 'image-to-image',
});

describe('train on an image-to-image task', () => {
  it('trains a U-Net with L1 on paired images and reports L1 and PSNR, without accuracy', async () => {
    const before = tf.memory().numTensors;
    const train = { hook: 'recover', plugin: 'train', options: { epochs: 8, batchSize: 12, optimizer: 'adam', learningRate: 0.01 } };
    const report = await runPipeline(pipeline([train]), { outDir: join(out, 'train'), logger: silentLogger, defaultManifests: manifests });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.status).toBe('completed');
    const initial = report.initial!;
    const trained = report.stages[0]!.model!;
    expect(Object.keys(initial.metrics).sort()).toEqual(['l1', 'psnr']);
    expect(trained.metrics['accuracy']).toBeUndefined();
    expect(initial.params).toBe(trained.params);
    expect(trained.macs).toBeGreaterThan(0);
    // Training on L1 lowers the validation L1 and raises the PSNR.
    expect(trained.metrics['l1']).toBeLessThan(initial.metrics['l1']!);
    expect(trained.metrics['psnr']).toBeGreaterThan(initial.metrics['psnr']!);
    const m = report.stages[0]!.metrics;
    expect(m['loss']).toBe('l1');
    expect(m['bestValidationL1']).toBeCloseTo(trained.metrics['l1']!, 5);
    expect(m['bestValidationAccuracy']).toBeUndefined();
  });

  it('refuses kd on image-to-image data with an input error naming the task', async () => {
    const kd = { hook: 'distill', plugin: 'kd', options: { epochs: 1 } };
    const config = pipeline([kd]);
    await expect(runPipeline({ ...config, config: { ...config.config, teacher: { builder: 'tiny-unet' } } }, { outDir: join(out, 'kd'), logger: silentLogger, defaultManifests: manifests }))
      .rejects.toMatchObject({ pluginCode: 'KD_TASK_UNSUPPORTED', exitCode: 2, message: expect.stringContaining('task "image-to-image"') });
  });
});
