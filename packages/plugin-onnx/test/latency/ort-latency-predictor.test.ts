import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups, pruneToWidths } from '@whittle/graph';
import { SeededRng } from '@whittle/kernel';
import { errorOf, leakedBy, useWasm } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrtLatencyPredictor } from '../../src/index.js';
import { ortModel } from '../../src/runtime/ort-model.js';
import { timeOrtSession } from '../../src/runtime/ort-timing.js';

let model: tf.LayersModel;
let predictor: OrtLatencyPredictor;
let leaked = 0;

beforeAll(async () => {
  await useWasm();
  model = buildResNet({ depth: 8, inputShape: [16, 16, 3], numClasses: 4, width: 16, seed: 3 });
  leaked = await leakedBy(async () => {
    predictor = await OrtLatencyPredictor.build(model, { step: 4, warmup: 3, runs: 15, randomModels: 4, fitFractions: [0.5, 0.25], seed: 2 });
  });
}, 120_000);
afterAll(() => model.dispose());

async function measuredMs(subject: tf.LayersModel): Promise<number> {
  const ort = await ortModel(subject, { batchSize: 1 });
  try {
    let best = Number.POSITIVE_INFINITY;
    for (let w = 0; w < 3; w++) best = Math.min(best, (await timeOrtSession(ort.session, ort.feeds, { warmup: 10, runs: 40 })).medianMs);
    return best;
  } finally {
    await ort.session.release();
  }
}

describe('OrtLatencyPredictor (per-layer table profiled in ONNX Runtime, fitted to whole models)', () => {
  it('profiles the full model, the uniform fractions and the random widths, without leaking tensors', () => {
    expect(leaked).toBe(0);
    expect(predictor.fitPoints.length).toBe(1 + 2 + 4);
    expect(predictor.fitPoints[0]?.fraction).toBe(1);
    expect(predictor.fitPoints.every((p) => p.measuredMs > 0 && Number.isFinite(p.tableMs))).toBe(true);
    expect(predictor.fullMeasuredMs).toBe(predictor.fitPoints[0]?.measuredMs);
  });

  it('has one table entry per anchor layer, weighted layers linear in cin·cout, cin, cout', () => {
    const sites = predictor.entries.map((e) => e.site);
    expect(new Set(sites).size).toBe(sites.length);
    const stem = predictor.entries.find((e) => e.site === 'stem_conv');
    expect(stem?.features).toEqual(['1', 'cin·cout', 'cin', 'cout']);
    expect(stem?.signature).toMatch(/conv2d/);
    expect(stem?.fullMs).toBeGreaterThan(0);
    // BatchNorms and ReLUs are fused into the convs by ORT and charged to them: no entries of their own.
    expect(predictor.entries.some((e) => /_bn$|_relu$/.test(e.site))).toBe(false);
    for (const e of predictor.entries) expect(e.coefficients).toHaveLength(e.features.length);
  });

  it('predicts what the fit says at every profiled model, and less for narrower models', () => {
    const full = predictor.predict(new Map());
    const residuals = predictor.fitPoints.map((p) => predictor.scale * p.tableMs + predictor.constantMs - p.measuredMs);
    expect(Math.abs(residuals.reduce((s, r) => s + r, 0) / residuals.length)).toBeLessThan(1e-9 + 1e-6 * full);
    expect(full).toBeCloseTo(predictor.scale * (predictor.fitPoints[0]?.tableMs as number) + predictor.constantMs, 9);
    const prunable = dependencyGroups(model).filter((g) => g.prunable);
    const quarter = new Map(prunable.map((g) => [g.id, Math.max(4, Math.round(g.channels / 4 / 4) * 4)]));
    expect(predictor.predict(quarter)).toBeLessThan(full);
  });

  it('predicts a random-width model it never profiled within 35 % of its measured ORT latency', async () => {
    const rng = SeededRng.from(77, 'unseen');
    const widths = new Map(dependencyGroups(model).filter((g) => g.prunable).map((g) => [g.id, 4 * (1 + rng.int(g.channels / 4))]));
    const pruned = await pruneToWidths(model, widths);
    try {
      const measured = await measuredMs(pruned);
      const predicted = predictor.predict(widths);
      expect(Math.abs(predicted - measured) / measured).toBeLessThan(0.35);
    } finally {
      pruned.dispose();
    }
  }, 60_000);

  it('refuses unknown groups, widths out of range and bad options', async () => {
    expect(() => predictor.predict(new Map([['nope', 4]]))).toThrow(/no dependency group "nope"/);
    const [group] = dependencyGroups(model).filter((g) => g.prunable);
    expect(() => predictor.predict(new Map([[group?.id as string, 0]]))).toThrow(/outside 1 … 16/);
    expect(() => predictor.predict(new Map([[group?.id as string, 17]]))).toThrow(/outside 1 … 16/);
    expect((await errorOf(() => OrtLatencyPredictor.build(model, { step: 0 }))).code).toBe('BAD_LATENCY_OPTION');
    expect((await errorOf(() => OrtLatencyPredictor.build(model, { fitFractions: [1.5] }))).message).toMatch(/fitFractions must be in \(0, 1\)/);
  });
});
