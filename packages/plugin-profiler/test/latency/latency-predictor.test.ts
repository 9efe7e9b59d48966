import * as tf from '@tensorflow/tfjs';
import { buildResNet } from '@whittle/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProfileReport, LatencyPredictor, LatencyTable, latencyTableFromJson, latencyTableToJson, profileModel, pruneToWidths, uniformWidths, wholeModelKey } from '../../src/index.js';
import { errorOf, leakedBy, useWasm } from '@whittle/testing';

// Timing-based: only the machinery and the by-construction identities are asserted, never a tight error bound.
const fast = { batchSize: 1, step: 4, runs: 4, warmup: 1, warmupMs: 100, minLoopMs: 0.2 } as const;

let model: tf.LayersModel;
let predictor: LatencyPredictor;
let tensorsBefore: number;

beforeAll(async () => {
  await useWasm();
  tensorsBefore = tf.memory().numTensors;
  model = buildResNet({ depth: 8, inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 });
  predictor = await LatencyPredictor.build(model, fast);
});

afterAll(() => {
  model.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

/** `widths` with one group changed. */
const withWidth = (widths: ReadonlyMap<string, number>, id: string, w: number): Map<string, number> => new Map(widths).set(id, w);

describe('LatencyPredictor', () => {
  it('lists the prunable groups with their candidate widths in steps of g', () => {
    const stem = predictor.groups.find((g) => g.id === 'stem_conv');
    expect(stem).toMatchObject({ channels: 8, widths: [4, 8] });
    expect(predictor.groups.find((g) => g.id === 'stage3_block1_1_conv')?.widths).toEqual([4, 8, 12, 16, 20, 24, 28, 32]);
    expect(predictor.groups.some((g) => g.id === 'predictions')).toBe(false);
    expect(stem?.sites).toEqual(expect.arrayContaining(['stem_conv', 'stage1_block1_1_conv', 'stage2_block1_1_conv']));
  });

  it('fits scale and constant to the unpruned model and uniformly pruned ones, measured whole', () => {
    expect(predictor.fullMs).toBeGreaterThan(0);
    expect(predictor.fitPoints.map((p) => p.fraction)).toEqual([1, 0.75, 0.5, 0.25]);
    expect(predictor.fitPoints[0]!.measuredMs).toBe(predictor.fullMs);
    const sum = predictor.sites.reduce((s, site) => s + predictor.siteLatency(site.id, new Map()), 0);
    expect(predictor.fitPoints[0]!.tableMs).toBeCloseTo(sum, 9);
    expect(predictor.predict(new Map())).toBeCloseTo(predictor.constantMs + predictor.scale * sum, 9);
    expect(predictor.predict(predictor.fullWidths())).toBeCloseTo(predictor.predict(new Map()), 9);
    // Least squares with a constant: the residuals over the fitted models sum to zero.
    const residuals = predictor.fitPoints.map((p) => p.measuredMs - (predictor.scale * p.tableMs + predictor.constantMs));
    expect(residuals.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    const half = predictor.fitPoints.find((p) => p.fraction === 0.5)!;
    expect(predictor.predict(uniformWidths(predictor.groups, 0.5))).toBeCloseTo(predictor.scale * half.tableMs + predictor.constantMs, 9);
  });

  it('without fit models, takes the constant at full width: the prediction there is the measured total', async () => {
    const plain = await LatencyPredictor.build(model, { ...fast, table: predictor.table, fitFractions: [] });
    expect(plain.scale).toBe(1);
    expect(plain.fitPoints).toHaveLength(1);
    expect(plain.predict(new Map())).toBeCloseTo(plain.fullMs, 9);
    expect((await errorOf(() => LatencyPredictor.build(model, { ...fast, fitFractions: [1.5] }))).code).toBe('BAD_LATENCY_OPTION');
  });

  it('prices a group by the layers it touches, given its neighbours\' widths', () => {
    const widths = withWidth(predictor.fullWidths(), 'stage2_block1_shortcut_conv', 8);
    const id = 'stage3_block1_1_conv';
    for (const w of [4, 16]) {
      const delta = predictor.predict(withWidth(widths, id, 32)) - predictor.predict(withWidth(widths, id, w));
      expect(predictor.groupCost(id, 32, widths) - predictor.groupCost(id, w, widths)).toBeCloseTo(delta, 9);
    }
    // Only the layers of the group count: its producer (cout), the BatchNorm and ReLU it passes through, and its consumer (cin).
    const touched = ['stage3_block1_1_conv', 'stage3_block1_1_bn', 'stage3_block1_1_relu', 'stage3_block1_2_conv'];
    expect([...predictor.groups.find((g) => g.id === id)!.sites].sort()).toEqual([...touched].sort());
    const sum = touched.reduce((ms, site) => ms + predictor.siteLatency(site, widths), 0);
    expect(predictor.groupCost(id, 32, widths)).toBeCloseTo(predictor.scale * sum, 9);
  });

  it('prices BatchNorm, ReLU, Add and pooling as sites that shrink with their group', () => {
    const ops = new Set(predictor.sites.map((s) => s.signature.op));
    expect([...ops].sort()).toEqual(['activation', 'batch-norm', 'conv2d', 'dense', 'global-avg-pool', 'merge']);
    const full = predictor.fullWidths();
    // stage3's Add merges the block's output group with the shortcut's: its width follows that group.
    const add = predictor.sites.find((s) => s.id === 'stage3_block1_add')!;
    const [group] = add.cin.terms.map((t) => t.group);
    expect(group).toBeDefined();
    expect(predictor.siteLatency(add.id, full)).toBe(predictor.table.get(add.signature)?.ms);
    expect(predictor.siteLatency(add.id, withWidth(full, group!, 4))).toBe(predictor.table.get({ ...add.signature, cin: 4, cout: 4, groups: 4 })?.ms);
    for (const id of ['stage1_block1_1_bn', 'stage1_block1_1_relu', 'gap']) expect(predictor.siteLatency(id, full), id).toBeGreaterThan(0);
  });

  it('reuses table entries and measures only what is missing', async () => {
    const again = await LatencyPredictor.build(model, { ...fast, table: predictor.table });
    expect(again.buildStats.measured).toBe(0);
    expect(again.buildStats.reused).toBe(predictor.buildStats.signatures);
    expect(predictor.buildStats.measured).toBe(predictor.buildStats.signatures);
    const wrong = LatencyTable.create({ backend: 'wasm', adapter: null, batchSize: 4, clock: 'wall', machine: '' });
    expect((await errorOf(() => LatencyPredictor.build(model, { ...fast, table: wrong }))).code).toBe('LATENCY_TABLE_MISMATCH');
  });

  it('keeps the whole models it measured in the table and fits to those of a table measured elsewhere', async () => {
    expect(predictor.buildStats).toMatchObject({ wholeModels: 4, wholeModelsMeasured: 4 });
    const keys = predictor.fitPoints.map((p) => wholeModelKey(predictor.sites, p.fraction === 1 ? predictor.fullWidths() : uniformWidths(predictor.groups, p.fraction)));
    expect(new Set(keys).size).toBe(4);
    expect(keys.map((k) => predictor.table.getModel(k)?.ms)).toEqual(predictor.fitPoints.map((p) => p.measuredMs));
    // A table from another device (here: the same table with its whole-model times doubled) is fitted to that device's times, measuring nothing.
    const json = latencyTableToJson(predictor.table);
    const elsewhere = latencyTableFromJson({ ...json, models: Object.fromEntries(Object.entries(json.models!).map(([k, m]) => [k, { ...m, ms: 2 * m.ms }])) }, 'device table');
    const before = tf.memory().numTensors;
    const remote = await LatencyPredictor.build(model, { ...fast, table: elsewhere });
    expect(tf.memory().numTensors).toBe(before);
    expect(remote.buildStats).toMatchObject({ measured: 0, wholeModelsMeasured: 0 });
    expect(remote.fullMs).toBe(2 * predictor.fullMs);
    expect(remote.fitPoints.map((p) => p.measuredMs)).toEqual(predictor.fitPoints.map((p) => 2 * p.measuredMs));
    // Another statistic (or widths no entry has) is measured here.
    const p10 = await LatencyPredictor.build(model, { ...fast, table: latencyTableFromJson(json, 'copy'), statistic: 'p10', fitFractions: [0.5] });
    expect(p10.buildStats).toMatchObject({ measured: 0, wholeModels: 2, wholeModelsMeasured: 2 });
  });

  it('predicts for the device a table was measured on, from the table alone, and says what a device table lacks', async () => {
    // The same measurements relabelled as a browser's WebGL table: layer keys and signatures name the device, whole-model keys do not.
    const json = latencyTableToJson(predictor.table);
    const relabel = (text: string): string => text.replaceAll('@wasm"', '@webgl"').replaceAll('"backend":"wasm"', '"backend":"webgl"');
    const webgl = latencyTableFromJson(JSON.parse(relabel(JSON.stringify(json))), 'webgl table');
    expect(webgl.header.backend).toBe('webgl');
    const before = tf.memory().numTensors;
    const there = await LatencyPredictor.build(model, { ...fast, table: webgl, device: 'table' });
    expect(tf.memory().numTensors).toBe(before);
    expect(there.buildStats).toMatchObject({ measured: 0, wholeModelsMeasured: 0 });
    expect(there.sites.every((site) => site.signature.backend === 'webgl')).toBe(true);
    const half = uniformWidths(predictor.groups, 0.5);
    expect(there.predict(half)).toBeCloseTo(predictor.predict(half), 9);
    // One layer signature fewer: it cannot be measured here, so the build says what to do.
    const entries = Object.fromEntries(Object.entries(JSON.parse(relabel(JSON.stringify(json))).entries as Record<string, unknown>).slice(1));
    const partial = latencyTableFromJson({ ...JSON.parse(relabel(JSON.stringify(json))), entries }, 'partial webgl table');
    const incomplete = await errorOf(() => LatencyPredictor.build(model, { ...fast, table: partial, device: 'table' }));
    expect(incomplete.code).toBe('LATENCY_TABLE_INCOMPLETE');
    expect(incomplete.message).toMatch(/lacks 1 of the \d+ layer signatures of model .* cannot be measured from here \(wasm\)/);
    expect((await errorOf(() => LatencyPredictor.build(model, { ...fast, device: 'table' }))).code).toBe('BAD_LATENCY_OPTION');
  });

  it('can predict from the 10th percentile instead of the median (busy machines), wall clock only', async () => {
    const p10 = await LatencyPredictor.build(model, { ...fast, table: predictor.table, statistic: 'p10', fitFractions: [] });
    expect(p10.statistic).toBe('p10');
    expect(p10.predict(new Map())).toBeCloseTo(p10.fullMs, 9);
    const stem = p10.sites.find((s) => s.id === 'stem_conv')!;
    expect(p10.siteLatency('stem_conv', new Map())).toBe(predictor.table.get(stem.signature)?.p10);
    expect((await errorOf(() => LatencyPredictor.build(model, { ...fast, statistic: 'p10', clock: 'kernel' }))).code).toBe('BAD_LATENCY_OPTION');
  });

  it('caps the grid per layer and interpolates between measured points', async () => {
    const capped = await LatencyPredictor.build(model, { ...fast, maxGridPoints: 2 });
    expect(capped.buildStats.signatures).toBeLessThan(predictor.buildStats.signatures);
    expect(capped.buildStats.signatures).toBeLessThanOrEqual(4 * capped.buildStats.sites);
    const widths = new Map([['stage3_block1_1_conv', 12]]);
    expect(Number.isFinite(capped.predict(widths))).toBe(true);
  });

  it('refuses unknown and unprunable groups and widths out of range', async () => {
    expect((await errorOf(() => predictor.predict(new Map([['nope', 3]])))).code).toBe('LATENCY_UNKNOWN_GROUP');
    expect((await errorOf(() => predictor.predict(new Map([['predictions', 2]])))).code).toBe('LATENCY_UNPRUNABLE_GROUP');
    expect(predictor.predict(new Map([['predictions', 4]]))).toBeCloseTo(predictor.predict(new Map()), 9);
    expect((await errorOf(() => predictor.predict(new Map([['stem_conv', 0]])))).code).toBe('LATENCY_BAD_WIDTH');
    expect((await errorOf(() => predictor.groupCost('stem_conv', 9)))).toMatchObject({ code: 'LATENCY_BAD_WIDTH' });
  });

  it('reports its error against the measured latency of an actually pruned model', async () => {
    const widths = new Map(predictor.groups.map((g) => [g.id, Math.max(4, g.channels / 2)]));
    expect(await leakedBy(async () => {
      const pruned = await pruneToWidths(model, widths);
      const evaluation = await predictor.evaluate(pruned);
      pruned.dispose();
      expect(evaluation.widths).toEqual(widths);
      expect(evaluation.measuredMs).toBeGreaterThan(0);
      expect(Number.isFinite(evaluation.relativeError)).toBe(true);
      console.log(`ResNet-8 (width 8, 16×16, wasm, batch 1, runs 4) at half width: predicted ${evaluation.predictedMs.toFixed(3)} ms, measured ${evaluation.measuredMs.toFixed(3)} ms, relative error ${(100 * evaluation.relativeError).toFixed(1)} %`);
    })).toBe(0);
  });

  it('refuses to evaluate a model that is not a pruned copy of the profiled one', async () => {
    const other = buildResNet({ depth: 8, inputShape: [16, 16, 3], numClasses: 4, width: 16, seed: 1 });
    const error = await errorOf(() => predictor.widthsOf(other));
    other.dispose();
    expect(error.code).toBe('LATENCY_MODEL_MISMATCH');
  });

  it('profiles a model end to end and formats the report', async () => {
    const { report } = await profileModel(model, { ...fast, table: predictor.table, seed: 3 });
    expect(report.measured).toBe(0);
    expect(report.sites).toBe(predictor.sites.length);
    for (const value of [report.fullWidth.relativeError, report.randomHalf.relativeError, report.constantMs]) expect(Number.isFinite(value)).toBe(true);
    expect(report.randomHalf.keptFraction).toBeGreaterThan(0.2);
    expect(report.randomHalf.keptFraction).toBeLessThan(0.8);
    const text = formatProfileReport(report);
    expect(text).toContain('latency table for resnet8 on wasm, batch 1, wall clock (median), step 4');
    expect(text).toContain('predictor at random ~50% width');
  });
});
