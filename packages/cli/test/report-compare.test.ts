import { silentLogger, type ModelSummary, type RunReport } from '@whittle/kernel';
import { TempDir } from '@whittle/testing';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

const temp = new TempDir('whittle-cli-compare-');
afterAll(() => temp.cleanup());

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

/** A run folder with only report.json: the final model after one stage, its latency measured. */
function run(name: string, macs: number, accuracy: number, latencyMs: number): string {
  const model: ModelSummary = { params: macs / 10, macs, metrics: { accuracy }, latencyMs };
  const report: RunReport = {
    whittle: '0.1.0', pipeline: `/p/${name}.json`, configHash: 'x', seed: 1, backend: 'wasm', startedAt: '2026-01-01T00:00:00Z', status: 'completed',
    initial: { params: 100, macs: 1000, metrics: { accuracy: 0.9 } },
    stages: [{ index: 0, hook: 'deploy', plugin: 'tfjs-profiler', label: 'deploy:tfjs-profiler', status: 'completed', startedAt: '2026-01-01T00:00:00Z', durationMs: 5, model, metrics: {}, artifacts: [] }],
  };
  temp.write(`${name}/report.json`, report);
  return temp.path(name);
}

describe('whittle report runA runB --out compare.html', () => {
  it('writes one page comparing the runs, a point per run on each Pareto chart', async () => {
    const out = temp.path('compare.html');
    const io = capture();
    expect(await main(['report', run('a', 500, 0.8, 6), run('b', 400, 0.85, 5), '--out', out, '--json'], io), io.err()).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ file: out, runs: ['a', 'b'], charts: ['compare-macs', 'compare-latency'] });
    expect(readFileSync(out, 'utf8').match(/aria-roledescription="point"/g)?.length).toBe(4);

    const text = capture();
    expect(await main(['report', temp.path('a'), temp.path('b'), '--out', out], text)).toBe(0);
    expect(text.out()).toBe(`${out}: 2 runs compared, 2 charts (compare-macs, compare-latency)\n`);
  });

  it('refuses several folders without --out, a folder that is not a run, and writes nothing', async () => {
    const a = run('c', 500, 0.8, 6);
    const io = capture();
    expect(await main(['report', a, run('d', 400, 0.7, 4)], io)).toBe(2);
    expect(io.err()).toMatch(/2 run folders: comparing them writes one page, but no --out was given/);
    expect(existsSync(temp.path('c', 'report.html'))).toBe(false);
    const out = temp.path('refused.html');
    const bad = capture();
    expect(await main(['report', a, temp.path('nothing-here'), '--out', out], bad)).toBe(2);
    expect(bad.err()).toMatch(/cannot compare .*nothing-here: it has no report\.json/);
    expect(existsSync(out)).toBe(false);
  });
});
