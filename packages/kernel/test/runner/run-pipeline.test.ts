import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WhittleError } from '../../src/errors/whittle-error.js';
import { loadModel } from '@whittle/model-io';
import { silentLogger } from '../../src/logging/logger.js';
import { PluginError } from '../../src/plugin/plugin-error.js';
import type { RunReport } from '../../src/hooks/run-report.js';
import { runPipeline } from '../../src/runner/run-pipeline.js';
import { TempPipeline, toyPipeline } from '../fixtures/temp-pipeline.js';
import { cpuTestEngine } from '../fixtures/test-engine.js';

let t: TempPipeline;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => (t = new TempPipeline()));
afterEach(() => t.cleanup());

const readReport = (out: string): RunReport => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;

async function finalWeights(out: string): Promise<Float32Array[]> {
  const model = await loadModel(join(out, 'model', 'model.json'));
  const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return values;
}

describe('runPipeline', () => {
  it('runs the stages in order, records each in report.json and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const report = await runPipeline(t.write(toyPipeline(t)), { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.status).toBe('completed');
    expect(report.stages.map((s) => s.label)).toEqual(['recover:jitter', 'score:channel-count', 'recover:jitter', 'deploy:null-target']);
    expect(report.stages.every((s) => s.status === 'completed')).toBe(true);
    expect(report.initial?.params).toBe(16 * 6 + 6 + 6 * 3 + 3);
    expect(report.stages[1]?.model).toEqual(report.stages[0]?.model); // a score stage leaves the model as it was
    expect(report.stages[3]?.metrics['layers']).toBe(3);
    expect(report.stages[3]?.model?.latencyMs).toBe(1.5);
    expect(report.stages[3]?.artifacts).toEqual(['stages/03-deploy-null-target/layers.txt']);
    expect(typeof report.stages[0]?.model?.metrics['accuracy']).toBe('number');
    expect(Object.keys(report.stages[0]?.model?.metrics ?? {})).toEqual(['accuracy']);
    expect(readReport(t.out)).toEqual(report);
    expect(existsSync(join(t.out, 'model', 'model.json'))).toBe(true);
  });

  it('asks the injected engine for the pipeline\'s backend (or the override) and records its choice', async () => {
    const engine = cpuTestEngine();
    const file = t.write(toyPipeline(t));
    const report = await runPipeline(file, { outDir: join(t.dir, 'engine-a'), engine, logger: silentLogger });
    await expect(runPipeline(file, { outDir: join(t.dir, 'engine-b'), engine, backend: 'webgpu', logger: silentLogger })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(engine.calls).toEqual(['cpu', 'webgpu']);
    expect(report.backend).toBe('cpu');
  });

  it('gives the same numbers for the same seed, other numbers for another seed', async () => {
    const file = t.write(toyPipeline(t));
    await runPipeline(file, { outDir: join(t.dir, 'a'), engine: cpuTestEngine(), logger: silentLogger });
    await runPipeline(file, { outDir: join(t.dir, 'b'), engine: cpuTestEngine(), logger: silentLogger });
    await runPipeline(file, { outDir: join(t.dir, 'c'), engine: cpuTestEngine(), logger: silentLogger, seed: 8 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => finalWeights(join(t.dir, d))));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('calls lifecycle hooks around each stage and runs a stage key\'s taps in stage order', async () => {
    const calls: string[] = [];
    (globalThis as { __whittleCalls?: string[] }).__whittleCalls = calls;
    const file = t.write(toyPipeline(t, { plugins: [t.plugin('toy-plugins'), t.plugin('toy-metrics'), t.plugin('observer-plugin')], stages: [{ hook: 'recover', plugin: 'jitter' }, { hook: 'deploy', target: 'null-target' }] }));
    await runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger });
    expect(calls).toEqual([
      'beforeStage recover:jitter',
      'recover jitter: early observer',
      'recover jitter: late observer',
      'afterStage recover:jitter completed',
      'beforeStage deploy:null-target',
      'afterStage deploy:null-target completed',
      'report completed',
    ]);
  });

  it('wraps a plugin error with plugin and hook, records the failed stage, and resumes to the same result', async () => {
    const file = t.write(toyPipeline(t));
    await runPipeline(file, { outDir: join(t.dir, 'straight'), engine: cpuTestEngine(), logger: silentLogger });

    writeFileSync(join(t.dir, 'FAIL'), '');
    const error = (await runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger }).catch((e: unknown) => e)) as WhittleError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('[plugin jitter, hook recover] marker FAIL is present');
    const failed = readReport(t.out);
    expect(failed.status).toBe('failed');
    expect(failed.stages.map((s) => s.status)).toEqual(['completed', 'completed', 'failed']);
    expect(failed.stages[2]?.error).toContain('[plugin jitter, hook recover]');
    // No temporary files are left in the output folder.
    expect(readdirSync(t.out).filter((f) => f.includes('.tmp-'))).toEqual([]);

    rmSync(join(t.dir, 'FAIL'));
    const before = tf.memory().numTensors;
    const resumed = await runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger, resume: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(resumed.status).toBe('completed');
    expect(resumed.stages.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(await finalWeights(t.out)).toEqual(await finalWeights(join(t.dir, 'straight')));
  });

  it('refuses to resume a changed pipeline, or a folder with no run', async () => {
    const file = t.write(toyPipeline(t));
    await runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger });
    t.write(toyPipeline(t, { seed: 8 }));
    await expect(runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger, resume: true })).rejects.toMatchObject({ code: 'RESUME_PIPELINE_CHANGED', exitCode: 2 });
    await expect(runPipeline(file, { outDir: join(t.dir, 'empty'), engine: cpuTestEngine(), logger: silentLogger, resume: true })).rejects.toMatchObject({ code: 'RESUME_NOTHING' });
  });

  it('refuses data of a task no package registers before writing anything', async () => {
    const file = t.write(toyPipeline(t, { data: { provider: 'toy-unknown-task' } }));
    await expect(runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger })).rejects.toMatchObject({ code: 'TASK_UNKNOWN', exitCode: 2, message: expect.stringContaining('declares task "segmentation"') });
    expect(existsSync(t.out)).toBe(false);
  });

  it('refuses to write into a non-empty folder that holds no Whittle run', async () => {
    const kept = join(t.dir, 'kept');
    mkdirSync(kept);
    writeFileSync(join(kept, 'keep.txt'), 'precious');
    await expect(runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: kept, logger: silentLogger })).rejects.toMatchObject({ code: 'OUT_DIR_NOT_A_RUN' });
    expect(readdirSync(kept)).toEqual(['keep.txt']);
    expect(readFileSync(join(kept, 'keep.txt'), 'utf8')).toBe('precious');
  });
});
