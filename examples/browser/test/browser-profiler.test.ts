import * as tf from '@tensorflow/tfjs';
import { runPipeline, silentLogger } from '@whittle/kernel';
import { tfjsEngine } from '@whittle/engine';
import metrics from '@whittle/metrics';
import { saveModel } from '@whittle/model-io';
import { loadLatencyTable } from '@whittle/plugin-profiler';
import { CHROMIUM_TEST_ARGS, chromiumExecutable, TempDir, useWasm } from '@whittle/testing';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFolders } from './static-server.js';

// The page measures in Chromium; the table it downloads is then handed to SP-LAMP's latency-knapsack
// in Node, on the same backend (wasm), which must take it as it is (nothing left to measure).
// Skips with one line naming the apt command where Chromium is missing (fails in .ci/run).
const executable = chromiumExecutable();
const here = dirname(fileURLToPath(import.meta.url));
const example = join(here, '..');
const packages = join(example, '..', '..', 'packages');

/** A small conv stack: quick to measure in a page, with prunable groups for the knapsack. */
function convStack(): tf.LayersModel {
  const x = tf.input({ shape: [16, 16, 8], name: 'image' });
  let y = x;
  for (const i of [1, 2]) y = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: `conv${i}`, kernelInitializer: tf.initializers.glorotUniform({ seed: i }) }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 4, activation: 'softmax', name: 'predictions', kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'conv_stack' });
}

/** The page's measurement settings, also given to the knapsack so that it asks for the same table entries. */
const MEASURE = { batch: 1, step: 8, grid: 3, runs: 3 };

describe.runIf(executable !== undefined)('examples/browser in headless Chromium', () => {
  const temp = new TempDir('whittle-browser-');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFolders>>;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(example, 'build.mjs')], { stdio: 'pipe' });
    await useWasm();
    const model = convStack();
    await saveModel(model, temp.path('model'));
    model.dispose();
    server = await serveFolders({ '/model/': temp.path('model'), '/': join(example, 'dist') });
    browser = await chromium.launch({ executablePath: executable!, headless: true, args: [...CHROMIUM_TEST_ARGS] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    temp.cleanup();
  });

  async function openPage(query: string): Promise<Page> {
    const page = await browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/?${query}`);
    await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { whittle: { status: string } }).whittle.status) || document.getElementById('backend')!.textContent !== '…', undefined, { timeout: 60_000 });
    expect(errors).toEqual([]);
    return page;
  }

  it('picks the fastest backend it has (WebGPU, WebGL, wasm) and says why it skipped faster ones', async () => {
    const page = await openPage('');
    const backend = await page.evaluate(() => (window as unknown as { whittle: { backend?: { name: string; skipped: string[] } } }).whittle.backend);
    expect(['webgpu', 'webgl', 'wasm']).toContain(backend?.name);
    const order = ['webgpu', 'webgl', 'wasm'];
    expect(backend!.skipped.map((s) => s.split(':')[0])).toEqual(order.slice(0, order.indexOf(backend!.name)));
    await page.close();
  });

  it('measures a model by URL, downloads a latency table that latency-knapsack prunes to its budget with', async () => {
    const query = new URLSearchParams({ backend: 'wasm', model: '/model/model.json', measure: '1', ...Object.fromEntries(Object.entries(MEASURE).map(([k, v]) => [k, String(v)])) });
    const page = await openPage(query.toString());
    await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { whittle: { status: string } }).whittle.status), undefined, { timeout: 120_000 });
    const state = await page.evaluate(() => (window as unknown as { whittle: { status: string; message: string; perLayer: { layer: string; ms: number }[] } }).whittle);
    expect(state.status, state.message).toBe('done');
    expect(state.perLayer.map((r) => r.layer)).toEqual(expect.arrayContaining(['conv1', 'conv2', 'predictions']));
    expect(await page.locator('#layers tr').count()).toBe(state.perLayer.length);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const tableFile = temp.path('latency-table.json');
    await download.saveAs(tableFile);
    await page.close();
    expect(download.suggestedFilename()).toBe('latency-table-wasm-batch1.json');
    const table = await loadLatencyTable(tableFile, { backend: 'wasm', batchSize: 1, clock: 'wall' });
    expect(table.size).toBeGreaterThan(3);
    expect(table.header.machine).toMatch(/HeadlessChrome/);

    const pipeline = temp.write('pipeline.json', {
      name: 'browser-table', seed: 1, backend: 'wasm',
      plugins: [relative(temp.dir, join(packages, 'plugin-sp-lamp/src/index.ts')), relative(temp.dir, join(packages, 'plugin-profiler/src/index.ts'))],
      model: { path: 'model/model.json' },
      stages: [
        { hook: 'score', plugin: 'sp-lamp' },
        { hook: 'prune', plugin: 'latency-knapsack', options: { latencyTable: 'latency-table.json', budgetFraction: 0.5, calibrationRounds: 1, step: MEASURE.step, maxGridPoints: MEASURE.grid, warmup: 1, runs: MEASURE.runs } },
      ],
    });
    const before = tf.memory().numTensors;
    const report = await runPipeline(pipeline, { engine: tfjsEngine(), outDir: temp.path('out'), logger: silentLogger, defaultManifests: [metrics] });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.status).toBe('completed');
    const m = report.stages[1]!.metrics as Record<string, number>;
    // Every signature came from the browser's table: nothing was measured in Node.
    expect(m['signaturesMeasured']).toBe(0);
    expect(m['tableEntries']).toBe(table.size);
    expect(m['budgetMs']).toBeCloseTo(0.5 * m['predictedFullMs']!, 9);
    expect(m['predictedMs']).toBeLessThanOrEqual(m['budgetMs']!);
    expect(report.stages[1]!.model!.macs).toBeLessThan(report.initial!.macs);
    expect(existsSync(temp.path('out', 'model', 'model.json'))).toBe(true);
  });
});
