import * as tf from '@tensorflow/tfjs';
import data from '@whittle/data';
import { tfjsEngine } from '@whittle/engine';
import { runPipeline, silentLogger } from '@whittle/kernel';
import metrics from '@whittle/metrics';
import { CHROMIUM_TEST_ARGS, chromiumExecutable, TempDir, useWasm } from '@whittle/testing';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeComparisonHtml, writeReportHtml, type WrittenReport } from '../src/index.js';

// A quickstart-shaped run (train, profile, score, prune, fine-tune, a plugin's pictures, profile),
// its report.html opened from disk in headless Chromium: every chart drawn with all its marks, the
// images decoded, nothing fetched, and a screenshot kept in .tmp/artifacts (WHITTLE_TEST_ARTIFACTS).
// Skips with one line naming the apt command where Chromium is missing (fails in .ci/run).
const executable = chromiumExecutable();
const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..');
const artifacts = process.env['WHITTLE_TEST_ARTIFACTS'] ?? join(packages, '..', '.tmp', 'artifacts');

describe.runIf(executable !== undefined)('report.html in headless Chromium', () => {
  const temp = new TempDir('whittle-report-');
  let browser: Browser;
  let written: WrittenReport;
  let out: string;

  beforeAll(async () => {
    await useWasm();
    const plugin = (path: string): string => relative(temp.dir, join(packages, path));
    const train = (epochs: number) => ({ hook: 'recover', plugin: 'train', options: { epochs, batchSize: 64, optimizer: 'adam', learningRate: 0.003 } });
    const profile = (name: string) => ({ name, hook: 'deploy', target: 'tfjs-profiler', options: { batchSize: 8, warmup: 2, runs: 5 } });
    const pipeline = temp.write('pipeline.json', {
      name: 'report-demo', seed: 3, backend: 'wasm',
      plugins: [plugin('zoo/src/index.ts'), plugin('plugin-baselines/src/index.ts'), plugin('plugin-profiler/src/index.ts'), relative(temp.dir, join(here, 'fixtures/picture-target.ts'))],
      model: { builder: 'small-cnn', options: { width: 8 } },
      data: { provider: 'fashion-mnist-sample', trainLimit: 256 },
      stages: [
        { name: 'train', ...train(2) }, profile('profile dense'), { hook: 'score', plugin: 'l1-norm' }, { name: 'prune 50%', hook: 'prune', plugin: 'uniform', options: { ratio: 0.5 } },
        { name: 'fine-tune', ...train(2) }, { name: 'pictures', hook: 'deploy', target: 'pictures' }, profile('profile pruned'),
      ],
    });
    out = temp.path('out');
    await runPipeline(pipeline, { engine: tfjsEngine(), outDir: out, logger: silentLogger, defaultManifests: [data, metrics] });
    const before = tf.memory().numTensors;
    written = await writeReportHtml(out, { measureLatency: { warmup: 1, runs: 3 } });
    expect(tf.memory().numTensors).toBe(before);
    browser = await chromium.launch({ executablePath: executable!, headless: true, args: [...CHROMIUM_TEST_ARGS] });
  });
  afterAll(async () => {
    await browser?.close();
    temp.cleanup();
  });

  it('writes every chart the run has data for, and names the item it could not read', () => {
    expect(written.charts).toEqual(['channels', 'macs', 'layer-latency', 'stage-macs', 'stage-metrics', 'stage-pareto', 'series-loss', 'series-metrics', 'series-loss', 'series-metrics']);
    expect(written.problems).toEqual([expect.stringMatching(/stage 5 \(pictures\): stages\/05-deploy-pictures\/broken\.report\.json: not a report item/)]);
  });

  it('renders from disk with every chart and its marks, images decoded, nothing fetched; saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(written.file).href;
    await page.goto(url);
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((f) => ({
      id: f.getAttribute('data-chart') ?? '',
      expected: Number(f.getAttribute('data-marks')),
      drawn: f.querySelectorAll('svg g.role-mark > *').length,
      box: f.querySelector('svg')!.getBoundingClientRect().height,
      name: f.querySelector('svg > title')?.textContent ?? '',
      desc: f.querySelector('svg > desc')?.textContent ?? '',
    })));
    expect(charts.map((c) => c.id)).toEqual(written.charts);
    for (const c of charts) {
      expect(c.drawn, `${c.id}: marks drawn`).toBe(c.expected);
      expect(c.expected, c.id).toBeGreaterThan(0);
      expect(c.box, `${c.id}: height`).toBeGreaterThan(50);
      expect(c.name.length, c.id).toBeGreaterThan(3);
      expect(c.desc.length, c.id).toBeGreaterThan(20);
    }
    // Bars per layer: the channels chart has one per weighted layer of each model (small-cnn: 3 convs + dense, twice).
    expect(charts.find((c) => c.id === 'channels')!.expected).toBe(8);
    const images = await page.$$eval('figure.image img', (imgs) => imgs.map((i) => ({ alt: i.getAttribute('alt'), width: (i as HTMLImageElement).naturalWidth, src: i.getAttribute('src')!.slice(0, 22) })));
    expect(images).toEqual([
      { alt: 'Four coloured pixels: red, green, blue, white', width: 2, src: 'data:image/png;base64,' },
      { alt: expect.stringContaining('loose.png'), width: 2, src: 'data:image/png;base64,' },
    ]);
    expect(await page.locator('table.item caption').allTextContents()).toEqual(['Policy per layer']);
    expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, 'report-demo.png');
    await page.screenshot({ path: shot, fullPage: true });
    process.stderr.write(`report.html screenshot: ${shot}\n`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('renders a comparison of that run and a copy of it with other figures: one point and one label per run on each chart', async () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { stages: { model?: { macs: number; latencyMs?: number; metrics: Record<string, number> } }[] };
    // The copy: half the MACs and latency, five points less accuracy, at every stage.
    for (const s of report.stages) if (s.model !== undefined) s.model = { ...s.model, macs: s.model.macs / 2, ...(s.model.latencyMs === undefined ? {} : { latencyMs: s.model.latencyMs / 2 }), metrics: { ...s.model.metrics, accuracy: s.model.metrics['accuracy']! - 0.05 } };
    const other = temp.write('other/report.json', report);
    const compared = await writeComparisonHtml([out, dirname(other)], temp.path('compare.html'));
    expect(compared.charts).toEqual(['compare-macs', 'compare-latency']);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(compared.file).href;
    await page.goto(url);
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((f) => ({
      id: f.getAttribute('data-chart') ?? '',
      expected: Number(f.getAttribute('data-marks')),
      drawn: f.querySelectorAll('svg g.role-mark > *').length,
      points: f.querySelectorAll('svg g.role-mark path[aria-roledescription="point"]').length,
      labels: Array.from(f.querySelectorAll('svg g.role-mark text'), (t) => t.textContent),
    })));
    expect(charts.map((c) => c.id)).toEqual(compared.charts);
    for (const c of charts) {
      expect(c.drawn, c.id).toBe(c.expected);
      expect(c.points, c.id).toBe(2);
      expect(c.labels.sort(), c.id).toEqual(['other', 'out']);
    }
    expect(requests.filter((r) => r !== url)).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-compare.png'), fullPage: true });
    await page.close();
  });
});
