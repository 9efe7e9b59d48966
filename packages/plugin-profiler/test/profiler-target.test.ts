import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { Kernel, PluginRegistry, SeededRng, silentLogger, type DeployResult, type RunContext, type StageCall } from '@whittle/kernel';
import { buildResNet } from '@whittle/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencyTableFromJson, TfjsProfilerTarget, type ProfilerOptions } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

let dir: string;
beforeAll(async () => {
  await useWasm();
  dir = mkdtempSync(join(tmpdir(), 'whittle-profiler-target-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A deploy call with just what the target reads: the model, backend, logger and an artifact store in `dir`. */
function deployCall(model: tf.LayersModel, options: ProfilerOptions): StageCall {
  const ctx = {
    model,
    backend: { name: 'wasm', summary: 'backend: wasm', tried: [] },
    logger: silentLogger,
    artifacts: {
      root: dir,
      async writeFile(relativePath: string, data: string | Uint8Array) {
        const path = join(dir, 'stage', relativePath);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, data);
        return join('stage', relativePath);
      },
      saveModel: () => Promise.reject(new Error('not used')),
    },
  } as unknown as RunContext;
  return {
    stage: { index: 0, hook: 'deploy', plugin: 'tfjs-profiler', label: 'profile' },
    options,
    ctx,
    rng: SeededRng.from(1),
    record: () => undefined,
    setPrecision: () => undefined,
    progress: () => ({ tick: () => undefined, done: () => undefined }),
  };
}

describe('deploy target tfjs-profiler with a latency table', () => {
  it('fills the table option defaults from its schema', () => {
    const options: Record<string, unknown> = { table: {} };
    const validate = new Ajv({ useDefaults: true, strict: true }).compile(TfjsProfilerTarget.meta.optionsSchema);
    expect(validate(options)).toBe(true);
    expect(options['table']).toEqual({ out: 'latency-table.json', step: 8, maxGridPoints: 16, clock: 'wall', statistic: 'median' });
    expect(validate({ table: { step: 0 } })).toBe(false);
  });

  it('writes the table as an artifact next to latency.json', async () => {
    const model = buildResNet({ depth: 8, inputShape: [8, 8, 3], numClasses: 3, width: 4, seed: 2 });
    const kernel = new Kernel(new PluginRegistry([]));
    new TfjsProfilerTarget({ seed: 1, outDir: dir, configDir: dir, backend: 'wasm' }).apply(kernel);
    let result: DeployResult | undefined;
    expect(await leakedBy(async () => {
      const options: ProfilerOptions = { batchSize: 1, warmup: 1, runs: 2, table: { out: 'tables/lut.json', step: 2, maxGridPoints: 3, clock: 'wall', statistic: 'median' } };
      result = await kernel.hooks.deploy.for('tfjs-profiler').promise({ target: 'tfjs-profiler', metrics: {}, files: [] }, deployCall(model, options));
    })).toBe(0);
    model.dispose();
    expect(result?.files).toEqual([join('stage', 'latency.json'), join('stage', 'tables/lut.json')]);
    const table = latencyTableFromJson(JSON.parse(readFileSync(join(dir, 'stage', 'tables/lut.json'), 'utf8')), 'lut.json', { backend: 'wasm', batchSize: 1 });
    expect(table.size).toBe(result?.metrics['latencyTableEntries']);
    expect(table.size).toBeGreaterThan(0);
    expect(Number.isFinite(result?.metrics['latencyTableConstantMs'])).toBe(true);
  });
});
