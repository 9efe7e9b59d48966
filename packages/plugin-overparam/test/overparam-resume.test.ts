import * as tf from '@tensorflow/tfjs';
import dataManifest from '@whittle/data';
import { registerWasmGradients, tfjsEngine } from '@whittle/engine';
import { runPipeline, silentLogger, type Logger } from '@whittle/kernel';
import metrics from '@whittle/metrics';
import { loadModel } from '@whittle/model-io';
import { TempDir, useWasm } from '@whittle/testing';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerConfigs } from './helpers/overparam-fixtures.js';

const temp = new TempDir('whittle-overparam-resume-');
beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});
afterAll(() => temp.cleanup());

const config = {
  name: 'overparam-resume', seed: 3, backend: 'wasm',
  // Resolved from this folder: the package's source and its dependencies.
  plugins: ['@whittle/zoo', '@whittle/plugin-baselines', '../src/index.ts'],
  model: { builder: 'small-cnn', options: { width: 4 } },
  teacher: { stage: 0 },
  data: { provider: 'fashion-mnist-sample', trainLimit: 100, testLimit: 20 },
  stages: [
    { hook: 'recover', plugin: 'train', options: { epochs: 1, batchSize: 50 } },
    { hook: 'recover', plugin: 'overparam', options: { epochs: 1, batchSize: 50, ratio: 2, gamma: 3000 } },
  ],
};

function run(outDir: string, options: { resume?: boolean; logger?: Logger } = {}): ReturnType<typeof runPipeline> {
  return runPipeline({ config, configDir: fileURLToPath(new URL('.', import.meta.url)), label: config.name },
    { engine: tfjsEngine(), outDir, logger: options.logger ?? silentLogger, defaultManifests: [dataManifest, metrics], ...(options.resume === true ? { resume: true } : {}) });
}

async function modelAt(file: string): Promise<{ configs: Record<string, unknown>; weights: Float32Array[] }> {
  const model = await loadModel(file);
  const result = { configs: layerConfigs(model), weights: model.getWeights().map((w) => w.dataSync() as Float32Array) };
  model.dispose();
  return result;
}

describe('overparam across checkpoints and --resume', () => {
  it('checkpoints only the merged model; a run that fails inside the expanded stage resumes by running that stage again, to the uninterrupted result', async () => {
    const straight = temp.path('straight');
    expect((await run(straight)).status).toBe('completed');

    // Fail inside the overparam stage, after expansion (its log line), before any merged model exists.
    const out = temp.path('failed');
    const failing: Logger = { ...silentLogger, info: (message) => {
      if (message.includes('expanded')) throw new Error('interrupted inside the expanded stage');
    } };
    await expect(run(out, { logger: failing })).rejects.toThrow(/interrupted inside the expanded stage/);
    const before = tf.memory().numTensors;
    const resumed = await run(out, { resume: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(resumed.status).toBe('completed');
    expect(resumed.stages.map((s) => `${s.index} ${s.plugin} ${s.status}`)).toEqual(['0 train completed', '1 overparam completed']);

    // Every model on disk — stage checkpoints and the final model — has the trained architecture, no expanded layer.
    const stages = readdirSync(join(out, 'stages')).sort();
    const trained = await modelAt(join(out, 'stages', stages[0]!, 'model', 'model.json'));
    const recovered = await modelAt(join(out, 'stages', stages[1]!, 'model', 'model.json'));
    const final = await modelAt(join(out, 'model', 'model.json'));
    expect(Object.keys(recovered.configs).some((name) => name.includes('__overparam'))).toBe(false);
    expect(recovered.configs).toEqual(trained.configs);
    expect(final).toEqual(recovered);
    expect(recovered.weights).not.toEqual(trained.weights);
    // Same seeds per stage: the resumed run ends where the uninterrupted one did.
    expect(final.weights).toEqual((await modelAt(join(straight, 'model', 'model.json'))).weights);
  });
});
