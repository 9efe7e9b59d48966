import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dependencyGroups } from '@whittle/graph';
import { runPipeline, silentLogger } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tfjsEngine } from '@whittle/engine';
import { fixtureMacs, FIXED_MS } from '../fixtures/analytic-latency.js';
import { TempRun } from '../helpers/temp-run.js';
import metrics from '@whittle/metrics';

/** The metric providers and tasks a run gets besides its plugins (the CLI passes the same). */
const manifests = [metrics];

let run: TempRun;
const score = { hook: 'score', plugin: 'sp-lamp' };
// Measured latencies are noisy on a shared 2-core machine: on small zoo models (ResNet-20 or
// VGG-small at 16–32 px) per-op overhead dominates, and the smallest widths measured 9–110 % of the
// full latency over repeated table builds, so a fixed budget fraction could be infeasible by chance.
// This stack of wide 3×3 convs is compute-bound (smallest widths ≈ 3 % of its MACs; they measured
// 2–21 % of the full latency), so a 0.9 budget stays feasible unless the whole-model measurement is
// several times slower than the per-layer ones.
// ResNet-20 pruning is covered deterministically in prune-to-latency-budget.test.ts.
function wideConvs(): tf.LayersModel {
  const x = tf.input({ shape: [24, 24, 16], name: 'image' });
  let y = x;
  for (const i of [1, 2, 3]) y = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: `conv${i}` }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 10, activation: 'softmax', name: 'predictions' }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'wide_convs' });
}
const tableOptions = { step: 8, warmup: 1, runs: 3, maxGridPoints: 3 };
const knapsack = (options: Record<string, unknown>): unknown => ({ hook: 'prune', plugin: 'latency-knapsack', options: { ...tableOptions, ...options } });

beforeAll(async () => {
  await tf.setBackend('wasm');
  run = new TempRun();
  const model = wideConvs();
  await run.saveModel(model);
  model.dispose();
});
afterAll(() => run.cleanup());

/** Loads the run's final model, checks it predicts a probability vector, returns its group widths. */
async function finalModelWidths(out: string): Promise<Map<string, number>> {
  const model = await loadModel(join(out, 'model', 'model.json'));
  const y = tf.tidy(() => model.predict(tf.ones([2, 24, 24, 16])) as tf.Tensor);
  expect(y.shape).toEqual([2, 10]);
  const sums = await tf.tidy(() => y.sum(1)).data();
  sums.forEach((s) => expect(s).toBeCloseTo(1, 4));
  tf.dispose(y);
  const widths = new Map(dependencyGroups(model).map((g) => [g.id, g.channels]));
  model.dispose();
  tf.disposeVariables();
  return widths;
}

describe('latency-knapsack', () => {
  it('prunes a conv stack to a predicted latency within the budget, with the widths it reports, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    // One calibration round: the prediction alone is held to the budget (the next test calibrates).
    const { file, out } = run.pipeline([score, knapsack({ latencyModel: 'tfjs-profiler', budgetFraction: 0.9, calibrationRounds: 1 })]);
    const report = await runPipeline(file, { engine: tfjsEngine(), outDir: out, logger: silentLogger, defaultManifests: manifests });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.status).toBe('completed');
    expect(report.stages[1]!.metrics['latencyModel']).toBe('tfjs-profiler');
    const m = report.stages[1]!.metrics as Record<string, number>;
    expect(m['budgetMs']).toBeCloseTo(0.9 * m['predictedFullMs']!, 9);
    expect(m['effectiveBudgetMs']).toBe(m['budgetMs']);
    expect(m['predictedMs']).toBeLessThanOrEqual(m['budgetMs']!);
    expect(m['keptChannels']).toBeLessThan(m['scoredChannels']!);
    expect(m['measuredMs']).toBeGreaterThan(0);
    expect(report.stages[1]!.model!.params).toBeLessThan(report.initial!.params);
    const plan = run.json<{ widths: Record<string, { channels: number; kept: number }> }>(join(out, report.stages[1]!.artifacts.find((a) => a.endsWith('knapsack.json'))!));
    const widths = await finalModelWidths(out);
    for (const [id, { channels, kept }] of Object.entries(plan.widths)) {
      expect(kept).toBeGreaterThanOrEqual(1);
      expect(kept).toBeLessThanOrEqual(channels);
      expect(widths.get(id), id).toBe(kept);
    }
  });

  it('reuses a latency table file: nothing is measured again, whole models included', async () => {
    const first = run.pipeline([score, knapsack({ budgetFraction: 1 })]);
    const report = await runPipeline(first.file, { engine: tfjsEngine(), outDir: first.out, logger: silentLogger, defaultManifests: manifests });
    expect(report.stages[1]!.metrics['signaturesMeasured']).toBeGreaterThan(0);
    const tablePath = join(first.out, report.stages[1]!.artifacts.find((a) => a.endsWith('latency-table.json'))!);
    const reuse = run.pipeline([score, knapsack({ budgetFraction: 0.9, latencyTable: tablePath })]);
    const again = await runPipeline(reuse.file, { engine: tfjsEngine(), outDir: reuse.out, logger: silentLogger, defaultManifests: manifests });
    expect(again.stages[1]!.metrics['signaturesMeasured']).toBe(0);
    expect(again.stages[1]!.metrics['wholeModelsMeasured']).toBe(0);
    expect(again.stages[1]!.metrics['tableEntries']).toBe(report.stages[1]!.metrics['tableEntries']);
    // Calibration (3 rounds by default) rescales the budget given to the predictor by budget ÷
    // measured, either way; the prediction fits the budget it was given.
    const m = again.stages[1]!.metrics as Record<string, number>;
    expect(m['predictedMs']).toBeLessThanOrEqual(m['effectiveBudgetMs']!);
    const calibration = run.json<{ calibration: { effectiveBudgetMs: number }[] }>(join(reuse.out, again.stages[1]!.artifacts.find((a) => a.endsWith('knapsack.json'))!)).calibration;
    expect(calibration[0]!.effectiveBudgetMs).toBeCloseTo(m['budgetMs']!, 9);
    expect(calibration.map((c) => c.effectiveBudgetMs)).toContain(m['effectiveBudgetMs']);
  });

  it('prunes for the device a table was measured on (a browser\'s WebGL table here), timing nothing on this one', async () => {
    const first = run.pipeline([score, knapsack({ budgetFraction: 1 })]);
    const report = await runPipeline(first.file, { engine: tfjsEngine(), outDir: first.out, logger: silentLogger, defaultManifests: manifests });
    const tablePath = join(first.out, report.stages[1]!.artifacts.find((a) => a.endsWith('latency-table.json'))!);
    // The wasm table relabelled as another device's: its layer keys and signatures name the device.
    const webglTable = join(first.out, 'webgl-table.json');
    writeFileSync(webglTable, readFileSync(tablePath, 'utf8').replaceAll('@wasm"', '@webgl"').replaceAll('"backend":"wasm"', '"backend":"webgl"').replace('"backend": "wasm"', '"backend": "webgl"'));
    const before = tf.memory().numTensors;
    const other = run.pipeline([score, knapsack({ budgetFraction: 0.6, latencyTable: webglTable })]);
    const pruned = await runPipeline(other.file, { engine: tfjsEngine(), outDir: other.out, logger: silentLogger, defaultManifests: manifests });
    expect(tf.memory().numTensors).toBe(before);
    const m = pruned.stages[1]!.metrics as Record<string, number>;
    expect(m).toMatchObject({ tableFromOtherDevice: 1, signaturesMeasured: 0, wholeModelsMeasured: 0, calibrationRounds: 0 });
    expect(m['measuredMs']).toBeUndefined();
    expect(m['predictedMs']).toBeLessThanOrEqual(m['budgetMs']!);
    expect(pruned.stages[1]!.model!.macs).toBeLessThan(pruned.initial!.macs);
    // A device table without this model's entries cannot be completed here: the stage says so.
    const empty = join(first.out, 'empty-webgl-table.json');
    const json = JSON.parse(readFileSync(webglTable, 'utf8')) as { entries: unknown; models?: unknown };
    writeFileSync(empty, JSON.stringify({ ...json, entries: {}, models: {} }));
    const refused = run.pipeline([score, knapsack({ budgetFraction: 0.6, latencyTable: empty })]);
    await expect(runPipeline(refused.file, { engine: tfjsEngine(), outDir: refused.out, logger: silentLogger, defaultManifests: manifests })).rejects.toMatchObject({ pluginCode: 'LATENCY_TABLE_INCOMPLETE' });
  });

  it('needs a score stage first and exactly one budget option', async () => {
    const noScores = run.pipeline([knapsack({ budgetFraction: 0.5 })]);
    // Refused before the run starts (the plugin's meta says it requires scores), naming the stage.
    await expect(runPipeline(noScores.file, { engine: tfjsEngine(), outDir: noScores.out, logger: silentLogger, defaultManifests: manifests })).rejects.toMatchObject({ code: 'CONFIG_INVALID', issues: [{ path: '/stages/0' }] });
    const both = run.pipeline([score, knapsack({ budgetFraction: 0.5, budgetMs: 2 })]);
    await expect(runPipeline(both.file, { engine: tfjsEngine(), outDir: both.out, logger: silentLogger, defaultManifests: manifests })).rejects.toMatchObject({ pluginCode: 'SP_LAMP_BAD_BUDGET' });
    const neither = run.pipeline([score, { hook: 'prune', plugin: 'latency-knapsack', options: { step: 8 } }]);
    await expect(runPipeline(neither.file, { engine: tfjsEngine(), outDir: neither.out, logger: silentLogger, defaultManifests: manifests })).rejects.toThrowError(/budgetMs|budgetFraction/);
  });
});

describe('latency-knapsack under a registered analytic latency model', () => {
  const analytic = (latencyModel: string, budgetFraction: number) => run.pipeline(
    [score, { hook: 'prune', plugin: 'latency-knapsack', options: { latencyModel, budgetFraction, step: 8 } }],
    { plugins: [run.plugin, run.fixture('analytic-latency')] },
  );

  it('is steered by the model a fixture package registers: widths follow its costs, nothing is timed', async () => {
    const before = tf.memory().numTensors;
    const conv1Only = analytic('fixture-conv1-only', 0.5);
    const a = await runPipeline(conv1Only.file, { engine: tfjsEngine(), outDir: conv1Only.out, logger: silentLogger, defaultManifests: manifests });
    const macs = analytic('fixture-macs', 0.5);
    const b = await runPipeline(macs.file, { engine: tfjsEngine(), outDir: macs.out, logger: silentLogger, defaultManifests: manifests });
    expect(tf.memory().numTensors).toBe(before);

    // Only conv1 costs time under fixture-conv1-only: it alone is cut (to ≤ half), every other group stays full.
    const widthsA = await finalModelWidths(conv1Only.out);
    expect(widthsA.get('conv1')).toBeLessThanOrEqual(32);
    expect([widthsA.get('conv2'), widthsA.get('conv3')]).toEqual([64, 64]);
    const mA = a.stages[1]!.metrics;
    expect(mA['latencyModel']).toBe('fixture-conv1-only');
    expect(mA['predictedMs']).toBe(FIXED_MS + widthsA.get('conv1')!);
    // An analytic model is not measured: no calibration rounds, no measured figure.
    expect(mA['measuredMs']).toBeUndefined();
    expect(mA['calibrationRounds']).toBe(0);

    // Under fixture-macs, conv2 (a 64 → 64 conv whose channels also feed conv3) costs the most MACs per channel and is cut too.
    const widthsB = await finalModelWidths(macs.out);
    expect(widthsB.get('conv2')).toBeLessThan(64);
    const mB = b.stages[1]!.metrics as Record<string, number>;
    expect(mB['analyticGroups']).toBe(3);
    const full = await loadModel(join(run.dir, 'model', 'model.json'));
    const estimate = await fixtureMacs.estimate(full, undefined as never);
    expect(mB['predictedMs']).toBeCloseTo(estimate.predict(widthsB), 9);
    expect(mB['predictedMs']).toBeLessThanOrEqual(mB['budgetMs']!);
    expect(mB['budgetMs']).toBeCloseTo(0.5 * estimate.predict(new Map()), 9);
    full.dispose();
  });

  it('names the latency models that are registered when the one asked for is not', async () => {
    const typo = analytic('fixture-macz', 0.5);
    await expect(runPipeline(typo.file, { engine: tfjsEngine(), outDir: typo.out, logger: silentLogger, defaultManifests: manifests }))
      .rejects.toMatchObject({ pluginCode: 'LATENCY_MODEL_UNKNOWN', exitCode: 2, message: expect.stringMatching(/"fixture-macz" \(did you mean "fixture-macs"\?\); registered: fixture-macs, fixture-conv1-only/) });
    const noProfiler = analytic('tfjs-profiler', 0.5);
    await expect(runPipeline(noProfiler.file, { engine: tfjsEngine(), outDir: noProfiler.out, logger: silentLogger, defaultManifests: manifests })).rejects.toThrowError(/latency model "tfjs-profiler"[\s\S]*fix: Add "@whittle\/plugin-profiler"/);
  });
});

describe('global-lamp', () => {
  it('removes the requested fraction of channels by global score and keeps every group non-empty', async () => {
    const before = tf.memory().numTensors;
    const { file, out } = run.pipeline([score, { hook: 'prune', plugin: 'global-lamp', options: { ratio: 0.5 } }]);
    const report = await runPipeline(file, { engine: tfjsEngine(), outDir: out, logger: silentLogger, defaultManifests: manifests });
    expect(tf.memory().numTensors).toBe(before);
    const m = report.stages[1]!.metrics as Record<string, number>;
    expect(m['removedChannels']).toBe(Math.round(0.5 * m['scoredChannels']!));
    const widths = await finalModelWidths(out);
    for (const w of widths.values()) expect(w).toBeGreaterThanOrEqual(1);
    expect(report.stages[1]!.model!.params).toBeLessThan(report.initial!.params);
  });

  it('refuses scores that no longer fit the model (a prune stage ran after the score stage)', async () => {
    const { file, out } = run.pipeline([score, { hook: 'prune', plugin: 'global-lamp', options: { ratio: 0.3 } }, { hook: 'prune', plugin: 'global-lamp', options: { ratio: 0.3 } }]);
    await expect(runPipeline(file, { engine: tfjsEngine(), outDir: out, logger: silentLogger, defaultManifests: manifests })).rejects.toMatchObject({ pluginCode: 'SCORES_STALE' });
  });
});

