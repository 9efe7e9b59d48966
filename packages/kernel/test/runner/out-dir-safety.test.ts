import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cpuTestEngine } from '../fixtures/test-engine.js';
import { outputPathError, saveModel } from '@whittle/model-io';
import { silentLogger } from '../../src/logging/logger.js';
import { LOCK_FILE } from '../../src/runner/out-dir-lock.js';
import type { PipelineConfig } from '../../src/config/pipeline-config.js';
import { PREVIOUS_PREFIX, refuseInputsInsideOutDir } from '../../src/runner/out-dir.js';
import type { RunReport } from '../../src/hooks/run-report.js';
import { runPipeline } from '../../src/runner/run-pipeline.js';
import { holdGate } from '../fixtures/gate-plugin.js';
import { TempPipeline, toyPipeline } from '../fixtures/temp-pipeline.js';

let t: TempPipeline;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => (t = new TempPipeline()));
afterEach(() => t.cleanup());

/** Every file under `dir` with its bytes, to check a refused run left the folder byte-identical. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.endsWith('/') && existsSync(join(dir, f)) && !readdirSafe(join(dir, f)));
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}
function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

const readReport = (out: string): RunReport => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
const gated = (): Record<string, unknown> =>
  toyPipeline(t, { plugins: [t.plugin('toy-plugins'), t.plugin('gate-plugin'), t.plugin('toy-metrics')], stages: [{ hook: 'recover', plugin: 'jitter' }, { hook: 'recover', plugin: 'gate' }, { hook: 'deploy', target: 'null-target' }] });

describe('runPipeline never deletes a user\'s files', () => {
  it('refuses a model.path inside --out (whittle prune RUN/model/model.json --out RUN) and leaves RUN byte-identical', async () => {
    await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger });
    const before = snapshot(t.out);
    const file = t.write(toyPipeline(t, { model: { path: relative(t.dir, join(t.out, 'model', 'model.json')) } }));
    const error = await runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INPUT_INSIDE_OUT_DIR', exitCode: 2 });
    expect((error as Error).message).toContain('model.path');
    expect((error as Error).message).toContain(t.out);
    expect(snapshot(t.out)).toEqual(before);
    // --force does not lift it, nor does --resume.
    await expect(runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger, force: true })).rejects.toMatchObject({ code: 'INPUT_INSIDE_OUT_DIR' });
    await expect(runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger, resume: true })).rejects.toMatchObject({ code: 'INPUT_INSIDE_OUT_DIR' });
    expect(snapshot(t.out)).toEqual(before);
  });

  it('refuses a teacher.path, a data file or the pipeline file inside --out', async () => {
    // A real teacher file: a missing one would be refused earlier, by checkPipelineInputs.
    const teacherModel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
    await saveModel(teacherModel, join(t.dir, 'teach'));
    teacherModel.dispose();
    const teacher = toyPipeline(t, { teacher: { path: 'teach/model.json' } });
    await expect(runPipeline(t.write(teacher), { engine: cpuTestEngine(), outDir: join(t.dir, 'teach'), logger: silentLogger })).rejects.toMatchObject({ code: 'INPUT_INSIDE_OUT_DIR', message: expect.stringContaining('teacher.path') as string });
    await expect(runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.dir, logger: silentLogger })).rejects.toMatchObject({ code: 'INPUT_INSIDE_OUT_DIR', message: expect.stringContaining('the pipeline file') as string });
    const idx = { file: t.file, configDir: t.dir, registry: undefined as never, config: { ...(toyPipeline(t) as unknown as PipelineConfig), data: { provider: 'idx', options: { dir: 'out/mnist' } } } };
    expect(() => refuseInputsInsideOutDir(idx, t.out, true)).toThrow(/data\.options\.dir .* lies inside the output folder/);
    expect(() => refuseInputsInsideOutDir(idx, join(t.dir, 'elsewhere'), true)).not.toThrow();
  });

  it('refuses a non-empty --out that is not a Whittle run (report.json is {}) and leaves it byte-identical; --force replaces it', async () => {
    const f = join(t.dir, 'F');
    mkdirSync(join(f, 'model'), { recursive: true });
    writeFileSync(join(f, 'report.json'), '{}');
    writeFileSync(join(f, 'model', 'mine.bin'), 'x');
    const before = snapshot(f);
    const error = await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: f, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUT_DIR_NOT_A_RUN', exitCode: 2 });
    expect((error as Error).message).toContain(f);
    expect((error as Error).message).toContain('--force');
    expect(snapshot(f)).toEqual(before);

    const report = await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: f, logger: silentLogger, force: true });
    expect(report.status).toBe('completed');
    expect(readdirSync(f).sort()).toEqual(['model', 'report.json', 'stages']);
  });

  it('checks every input before touching --out: a missing model path leaves an earlier run byte-identical', async () => {
    await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger });
    const before = snapshot(t.out);
    const error = await runPipeline(t.write(toyPipeline(t, { model: { path: 'nowhere/model.json' } })), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(snapshot(t.out)).toEqual(before);
  });

  it('keeps an earlier run aside until the new run completes', async () => {
    await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger });
    const first = readFileSync(join(t.out, 'report.json'), 'utf8');
    writeFileSync(join(t.dir, 'FAIL'), '');
    await expect(runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger })).rejects.toMatchObject({ code: 'PLUGIN_ERROR' });
    const aside = readdirSync(t.out).filter((e) => e.startsWith(PREVIOUS_PREFIX));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(t.out, aside[0]!, 'report.json'), 'utf8')).toBe(first);
    expect(existsSync(join(t.out, LOCK_FILE))).toBe(false);
    // The failed run is a Whittle run too: a fresh run replaces it, and on success drops everything set aside.
    const ok = toyPipeline(t);
    (ok['stages'] as { options?: Record<string, unknown> }[])[2]!.options = { scale: 0.05 };
    expect((await runPipeline(t.write(ok), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger })).status).toBe('completed');
    expect(readdirSync(t.out).sort()).toEqual(['model', 'report.json', 'stages']);
  });

  it('refuses --out at an existing file, and --resume of a truncated report.json', async () => {
    writeFileSync(join(t.dir, 'a-file'), 'mine');
    await expect(runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: join(t.dir, 'a-file'), logger: silentLogger })).rejects.toMatchObject({ code: 'OUT_DIR_NOT_A_FOLDER', exitCode: 2 });
    await expect(runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: join(t.dir, 'a-file', 'sub'), logger: silentLogger })).rejects.toMatchObject({ exitCode: 2 });
    expect(readFileSync(join(t.dir, 'a-file'), 'utf8')).toBe('mine');

    await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger });
    const text = readFileSync(join(t.out, 'report.json'), 'utf8');
    writeFileSync(join(t.out, 'report.json'), text.slice(0, 40));
    const error = await runPipeline(t.file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger, resume: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RESUME_NOTHING', exitCode: 2 });
    expect((error as Error).message).toContain('not valid JSON');
  });
});

describe('the output folder lock', () => {
  it('makes a second run into the same --out refuse, naming the pid; the lock goes when the run ends', async () => {
    const gate = holdGate();
    try {
      const file = t.write(gated());
      const first = runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger });
      await gate.started;
      expect(JSON.parse(readFileSync(join(t.out, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
      const before = snapshot(t.out);
      const error = await runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'OUT_DIR_LOCKED', exitCode: 2 });
      expect((error as Error).message).toContain(`process ${process.pid}`);
      expect(snapshot(t.out)).toEqual(before);
      gate.open();
      expect((await first).status).toBe('completed');
      expect(existsSync(join(t.out, LOCK_FILE))).toBe(false);
    } finally {
      gate.remove();
    }
  });

  it('takes over a stale lock (its process is gone)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(t.out, { recursive: true });
    writeFileSync(join(t.out, LOCK_FILE), JSON.stringify({ pid: dead, startedAt: '2020-01-01T00:00:00Z' }));
    expect((await runPipeline(t.write(toyPipeline(t)), { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger })).status).toBe('completed');
    expect(existsSync(join(t.out, LOCK_FILE))).toBe(false);
  });

  it('on abort (SIGINT in the CLI): marks the report interrupted, removes the lock, and --resume finishes the run', async () => {
    const gate = holdGate();
    const before = tf.memory().numTensors;
    try {
      // The gate returns a new model: the abandoned stage's result must be freed, not leaked or written.
      const config = gated();
      (config['stages'] as Record<string, unknown>[])[1]!['options'] = { replace: true };
      const file = t.write(config);
      const controller = new AbortController();
      const run = runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger, signal: controller.signal });
      await gate.started;
      controller.abort('SIGINT');
      const error = await run.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RUN_INTERRUPTED', exitCode: 1 });
      expect((error as Error).message).toContain('by SIGINT');
      const report = readReport(t.out);
      expect(report.status).toBe('interrupted');
      expect(report.stages.map((s) => s.label)).toEqual(['recover:jitter']);
      expect(existsSync(join(t.out, LOCK_FILE))).toBe(false);
      // The abandoned stage ends; nothing it produces is written.
      gate.open();
      for (let i = 0; i < 100 && tf.memory().numTensors !== before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(tf.memory().numTensors).toBe(before);
      expect(readReport(t.out).status).toBe('interrupted');
      const resumed = await runPipeline(file, { engine: cpuTestEngine(), outDir: t.out, logger: silentLogger, resume: true });
      expect(resumed.status).toBe('completed');
      expect(resumed.stages.map((s) => s.index)).toEqual([0, 1, 2]);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      gate.remove();
    }
  });
});

describe('outputPathError', () => {
  it('names the path for errors the chosen path causes (EACCES, EISDIR, ENOTDIR, EROFS) and passes others on', () => {
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(outputPathError(eacces, '/root/out', 'the output folder')).toMatchObject({ kind: 'input', exitCode: 2, code: 'OUTPUT_EACCES', message: expect.stringContaining('cannot write the output folder at /root/out: permission denied') as string });
    expect(outputPathError(Object.assign(new Error(''), { code: 'EISDIR' }), '/tmp/x')?.message).toContain('it is a folder');
    expect(outputPathError(Object.assign(new Error(''), { code: 'ENOSPC' }), '/tmp/x')).toBeUndefined();
    expect(outputPathError(new Error('plain'), '/tmp/x')).toBeUndefined();
  });
});
