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

/**
 * A conv stack with prunable groups for the knapsack, quick to measure in a page yet heavy enough
 * (42 M MACs) that convolution time outweighs tfjs's fixed cost per op: on a 0.6 ms model that cost,
 * fitted in Node under load, made half the latency unreachable (SP_LAMP_BUDGET_INFEASIBLE).
 */
function convStack(): tf.LayersModel {
  const x = tf.input({ shape: [32, 32, 8], name: 'image' });
  let y = x;
  for (const i of [1, 2]) y = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: `conv${i}`, kernelInitializer: tf.initializers.glorotUniform({ seed: i }) }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 4, activation: 'softmax', name: 'predictions', kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'conv_stack' });
}

/** The page's measurement settings, also given to the knapsack so that it asks for the same table entries. */
const MEASURE = { batch: 1, step: 8, grid: 3, runs: 3 };

// On a loaded machine (the whole suite on 2 cores) Chromium's start, the page's load and the
// measurement each take far longer than playwright's 30 s defaults and vitest's 120 s: every wait
// has its own generous limit, so that a slow machine slows the test down instead of failing it.
const SLOW_MS = 300_000;

describe.runIf(executable !== undefined)('examples/browser in headless Chromium', () => {
  const temp = new TempDir('whittle-browser-');
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFolders>>;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(example, 'build.mjs')], { stdio: 'pipe', timeout: SLOW_MS });
    await useWasm();
    const model = convStack();
    await saveModel(model, temp.path('model'));
    model.dispose();
    server = await serveFolders({ '/model/': temp.path('model'), '/pruned/': temp.path('out', 'model'), '/': join(example, 'dist') });
    browser = await chromium.launch({ executablePath: executable!, headless: true, args: [...CHROMIUM_TEST_ARGS], timeout: SLOW_MS });
  }, 2 * SLOW_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    temp.cleanup();
  }, SLOW_MS);

  async function openPage(query: string): Promise<Page> {
    const page = await browser.newPage({ acceptDownloads: true });
    page.setDefaultTimeout(SLOW_MS);
    page.setDefaultNavigationTimeout(SLOW_MS);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/?${query}`);
    await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { whittle: { status: string } }).whittle.status) || document.getElementById('backend')!.textContent !== '…', undefined, { timeout: SLOW_MS });
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
  }, 2 * SLOW_MS);

  it('measures a model by URL, downloads a latency table that latency-knapsack prunes to its budget with', async () => {
    const query = new URLSearchParams({ backend: 'wasm', model: '/model/model.json', measure: '1', ...Object.fromEntries(Object.entries(MEASURE).map(([k, v]) => [k, String(v)])) });
    const page = await openPage(query.toString());
    await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { whittle: { status: string } }).whittle.status), undefined, { timeout: SLOW_MS });
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
    // The page's whole-model times (full width and the uniform fit fractions) travel with the table.
    expect([...table.models()]).toHaveLength(4);

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
    // Every signature and the fit's whole models came from the browser's table: nothing was measured in Node.
    expect(m['signaturesMeasured']).toBe(0);
    expect(m['wholeModelsMeasured']).toBe(0);
    expect(m['tableEntries']).toBe(table.size);
    expect(m['budgetMs']).toBeCloseTo(0.5 * m['predictedFullMs']!, 9);
    expect(m['predictedMs']).toBeLessThanOrEqual(m['budgetMs']!);
    expect(report.stages[1]!.model!.macs).toBeLessThan(report.initial!.macs);
    expect(existsSync(temp.path('out', 'model', 'model.json'))).toBe(true);

    // Back on the device the table came from: the pruned model timed against the dense one on the page.
    const check = await openPage(new URLSearchParams({ backend: 'wasm', model: '/model/model.json', compare: '/pruned/model.json', batch: '1', runs: '20' }).toString());
    await check.waitForFunction(() => {
      const w = (window as unknown as { whittle: { status: string; comparison?: unknown } }).whittle;
      return w.comparison !== undefined || w.status === 'error';
    }, undefined, { timeout: SLOW_MS });
    const compared = await check.evaluate(() => (window as unknown as { whittle: { status: string; message: string; comparison?: { referenceMs: number; prunedMs: number; ratio: number } } }).whittle);
    await check.close();
    expect(compared.status, compared.message).toBe('done');
    const { ratio } = compared.comparison!;
    const predictedRatio = m['predictedMs']! / m['predictedFullMs']!;
    process.stderr.write(`browser table -> latency-knapsack (budget 0.5): predicted ${predictedRatio.toFixed(3)} of full, measured on the page ${ratio.toFixed(3)} ` +
      `(${compared.comparison!.prunedMs.toFixed(3)} / ${compared.comparison!.referenceMs.toFixed(3)} ms), MACs ${(report.stages[1]!.model!.macs / report.initial!.macs).toFixed(3)}\n`);
    // The prediction from the page's table holds the budget; measured on the page, the pruned model is
    // clearly faster than the dense one. (The bound is loose because it is a timing: the fit now uses
    // the page's whole-model times, and measured on the page the ratio came within a few percent of the
    // prediction — 0.435 against 0.423 — where with Node's whole-model times it read 0.672 for 0.5.)
    expect(predictedRatio).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(ratio).toBeLessThan(0.85);
  }, 3 * SLOW_MS);
});
