import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import dataManifest from '@whittle/data';
import { runPipeline, silentLogger } from '@whittle/kernel';
import { TempDir } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import metrics from '@whittle/metrics';

/** The metric providers and tasks a run gets besides its plugins (the CLI passes the same). */
const manifests = [metrics];

const temp = new TempDir('whittle-kd-pipeline-');
beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => temp.cleanup());

describe('kd in a pipeline', () => {
  it('computes the teacher\'s logits in the first kd stage, reuses them in the next, and the run frees them', async () => {
    const kd = { hook: 'distill', plugin: 'kd', options: { epochs: 1, batchSize: 50, learningRate: 0.001 } };
    const config = {
      name: 'kd-twice', seed: 1, backend: 'wasm',
      // Resolved from this folder: the package's source and its dev dependency @whittle/zoo.
      plugins: ['@whittle/zoo', '../src/index.ts'],
      model: { builder: 'small-cnn', options: { width: 4 } },
      teacher: { stage: 0 },
      data: { provider: 'fashion-mnist-sample', trainLimit: 200, testLimit: 50 },
      stages: [{ hook: 'recover', plugin: 'train', options: { epochs: 1, batchSize: 50 } }, kd, kd],
    };
    const before = tf.memory().numTensors;
    const report = await runPipeline({ config, configDir: fileURLToPath(new URL('.', import.meta.url)), label: 'kd-twice' }, { outDir: temp.path('run'), logger: silentLogger, defaultManifests: [dataManifest, ...manifests] });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.status).toBe('completed');
    expect(report.stages.map((s) => s.metrics['teacherLogits'])).toEqual([undefined, 'computed', 'reused']);
  });
});
