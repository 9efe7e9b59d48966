import type { ModelSummary, RunReport, StageRecord } from '@whittle/kernel';
import { TempDir } from '@whittle/testing';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeComparisonHtml } from '../src/index.js';

const temp = new TempDir('whittle-compare-');
afterAll(() => temp.cleanup());

const summary = (macs: number, accuracy: number, latencyMs?: number): ModelSummary => ({ params: macs / 10, macs, metrics: { accuracy }, ...(latencyMs === undefined ? {} : { latencyMs }) });

function stage(index: number, label: string, model: ModelSummary): StageRecord {
  return { index, hook: 'deploy', plugin: label, label, status: 'completed', startedAt: '2026-01-01T00:00:00Z', durationMs: 10, model, metrics: {}, artifacts: [] };
}

/** A run folder holding only report.json: the comparison reads nothing else. */
function runFolder(name: string, stages: StageRecord[], backend = 'wasm'): string {
  const report: RunReport = { whittle: '0.1.0', pipeline: `/p/${name}.json`, configHash: 'x', seed: 1, backend, startedAt: '2026-01-01T00:00:00Z', status: 'completed', initial: summary(1000, 0.9, 10), stages };
  temp.write(`${name}/report.json`, report);
  return temp.path(name);
}

/** The SVG of a chart, by its data-chart id. */
const figure = (html: string, id: string): string => new RegExp(`<figure class="chart" data-chart="${id}"[^]*?</figure>`).exec(html)?.[0] ?? '';
const points = (svg: string): number => (svg.match(/aria-roledescription="point"/g) ?? []).length;
/** The text of the chart's text marks (the run labels), from the SVG. */
const labels = (svg: string): string[] => [...svg.matchAll(/<text [^>]*aria-roledescription="text mark"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('writeComparisonHtml', () => {
  it('draws one labelled point per run on the MACs and latency Pareto charts, with the front joining the runs no other beats', async () => {
    const a = runFolder('uniform-50', [stage(0, 'prune', summary(500, 0.80)), stage(1, 'profile', summary(500, 0.80, 6))]);
    const b = runFolder('sp-lamp-50', [stage(0, 'prune', summary(450, 0.84)), stage(1, 'profile', summary(450, 0.84, 5))]);
    const c = runFolder('random-50', [stage(0, 'prune', summary(600, 0.70)), stage(1, 'profile', summary(600, 0.70, 7))]);
    const out = temp.path('compare.html');
    const written = await writeComparisonHtml([a, b, c], out);
    expect(written).toEqual({ file: out, runs: ['uniform-50', 'sp-lamp-50', 'random-50'], charts: ['compare-macs', 'compare-latency'] });
    const html = readFileSync(out, 'utf8');
    for (const id of ['compare-macs', 'compare-latency']) {
      const svg = figure(html, id);
      // Three points, three labels, one front line (only sp-lamp-50 is on it: it beats both others on both axes).
      expect(svg).toContain(`data-marks="7"`);
      expect(points(svg), id).toBe(3);
      expect(labels(svg).sort(), id).toEqual(['random-50', 'sp-lamp-50', 'uniform-50']);
      expect(svg).toContain('The dashed line joins the Pareto front (lower');
      expect(svg).toMatch(/higher accuracy are better\): sp-lamp-50\.<\/desc>/);
    }
    expect(figure(html, 'compare-macs')).toContain('uniform-50 500 MACs, 0.8000; sp-lamp-50 450 MACs, 0.8400; random-50 600 MACs, 0.7000');
    expect(html).toMatch(/<th scope="row" title="[^"]*sp-lamp-50">sp-lamp-50<\/th><td>completed<\/td><td>45<\/td><td>450<\/td><td>84\.00 %<\/td><td>5\.00 <span class="note">\(1: profile, wasm\)<\/span><\/td>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('leaves the latency chart out when a run measured none or the runs used different backends; the latency is of the model it measured', async () => {
    const a = runFolder('no-latency', [stage(0, 'prune', summary(500, 0.8))]);
    const b = runFolder('measured', [stage(0, 'profile', summary(1000, 0.9, 9)), stage(1, 'prune', summary(400, 0.75))]);
    expect((await writeComparisonHtml([a, b], temp.path('one.html'))).charts).toEqual(['compare-macs']);
    const c = runFolder('webgl', [stage(0, 'profile', summary(500, 0.8, 3))], 'webgl');
    expect((await writeComparisonHtml([b, c], temp.path('two.html'))).charts).toEqual(['compare-macs']);
    const d = runFolder('measured-too', [stage(0, 'profile', summary(300, 0.6, 2))]);
    const html = readFileSync((await writeComparisonHtml([b, d], temp.path('three.html'))).file, 'utf8');
    // b's last measured model is its dense one (9 ms, 90 %), not the pruned model after it.
    expect(figure(html, 'compare-latency')).toContain('measured 9.00 ms, 0.9000; measured-too 2.00 ms, 0.6000');
  });

  it('refuses a folder that is not a run, fewer than two runs and a page that is not .html, writing nothing', async () => {
    const a = runFolder('ok', [stage(0, 'prune', summary(500, 0.8))]);
    const out = temp.path('refused.html');
    await expect(writeComparisonHtml([a, temp.path('missing')], out)).rejects.toThrow(/cannot compare .*missing: it has no report\.json/);
    await expect(writeComparisonHtml([a], out)).rejects.toThrow(/needs at least two run folders, got 1/);
    await expect(writeComparisonHtml([a, a], temp.path('compare.json'))).rejects.toThrow(/the comparison is an HTML page/);
    expect(existsSync(out)).toBe(false);
  });
});
