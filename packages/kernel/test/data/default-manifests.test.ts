import * as tf from '@tensorflow/tfjs';
import { saveModel } from '@whittle/model-io';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cpuTestEngine } from '../fixtures/test-engine.js';
import { loadPipeline } from '../../src/config/load-pipeline.js';
import type { DataLoadEnv, DataProvider, DatasetSplits } from '../../src/data/dataset.js';
import { silentLogger } from '../../src/logging/logger.js';
import { definePluginManifest } from '../../src/plugin/plugin.js';
import { runPipeline } from '../../src/runner/run-pipeline.js';
import { TempPipeline, toyPipeline } from '../fixtures/temp-pipeline.js';
import toyManifest, { toyData } from '../fixtures/toy-plugins.js';

let t: TempPipeline;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => (t = new TempPipeline()));
afterEach(() => t.cleanup());

/** A provider that records the env it was loaded with, then serves the toy data. */
function recordingProvider(seen: DataLoadEnv[]): DataProvider<never> {
  return { ...toyData, name: 'recording', load: (_o: never, common, env): Promise<DatasetSplits> => (seen.push(env), toyData.load({ n: 30 }, common, env)) } as DataProvider<never>;
}

describe('defaultManifests', () => {
  it('registers a manifest the pipeline does not list, and loads one it also lists only once', async () => {
    const config = toyPipeline(t, { data: { provider: 'recording' } });
    await expect(loadPipeline(t.write(config))).rejects.toThrow(/recording/);
    const extra = definePluginManifest({ name: 'extra-data', version: '1.0.0', kernel: '^0.1.0', datasets: [recordingProvider([])] });
    const { registry } = await loadPipeline(t.file, { defaultManifests: [extra] });
    expect(registry.dataProviders.entry('recording')?.from).toBe('extra-data');
    // The toy package is both listed and a default: no "registered twice" error.
    const both = await loadPipeline(t.file, { defaultManifests: [extra, toyManifest] });
    expect(both.registry.manifests.map((m) => m.name)).toEqual(['extra-data', 'toy-plugins', 'toy-metrics']);
  });

  it("tells the data provider the model file's input shape", async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [6, 5, 1], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 3 })] });
    await saveModel(model, t.path('model'));
    model.dispose();
    const seen: DataLoadEnv[] = [];
    const extra = definePluginManifest({ name: 'extra-data', version: '1.0.0', kernel: '^0.1.0', datasets: [recordingProvider(seen)] });
    const config = toyPipeline(t, { model: { path: 'model/model.json' }, data: { provider: 'recording' }, stages: [{ hook: 'deploy', target: 'null-target' }] });
    // The toy data is 4×4, the model 6×5: the stage fails, but the provider has seen the shape by then.
    await runPipeline(t.write(config), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger, defaultManifests: [extra] }).catch(() => undefined);
    expect(seen[0]?.modelInputShape).toEqual([6, 5, 1]);
  });
});
