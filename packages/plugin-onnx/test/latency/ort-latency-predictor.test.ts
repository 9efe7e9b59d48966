import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '@whittle/graph';
import { SeededRng } from '@whittle/kernel';
import { errorOf, leakedBy, useWasm } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrtLatencyPredictor } from '../../src/index.js';

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

  // How close a prediction comes to a measured ORT latency is a benchmark figure (bench/deploy.ts prunes to an ORT
  // budget and measures the result: bench/deploy/results.md), not a test assertion: timed bounds fail at random on a
  // loaded 2-core machine (this test's earlier 35 % bound measured 68 % once inside the full suite).
  it('predicts a random-width model it never profiled: positive, finite, below the full model', () => {
    const rng = SeededRng.from(77, 'unseen');
    const groups = dependencyGroups(model).filter((g) => g.prunable);
    const widths = new Map(groups.map((g) => [g.id, 4 * (1 + rng.int(g.channels / 4))]));
    expect([...widths.values()].some((w, i) => w < (groups[i]?.channels ?? 0))).toBe(true);
    const predicted = predictor.predict(widths);
    expect(Number.isFinite(predicted) && predicted > 0).toBe(true);
    expect(predicted).toBeLessThan(predictor.predict(new Map()));
  });

  it('refuses unknown groups, widths out of range and bad options', async () => {
    expect(() => predictor.predict(new Map([['nope', 4]]))).toThrow(/no dependency group "nope"/);
    const [group] = dependencyGroups(model).filter((g) => g.prunable);
    expect(() => predictor.predict(new Map([[group?.id as string, 0]]))).toThrow(/outside 1 … 16/);
    expect(() => predictor.predict(new Map([[group?.id as string, 17]]))).toThrow(/outside 1 … 16/);
    expect((await errorOf(() => OrtLatencyPredictor.build(model, { step: 0 }))).code).toBe('BAD_LATENCY_OPTION');
    expect((await errorOf(() => OrtLatencyPredictor.build(model, { fitFractions: [1.5] }))).message).toMatch(/fitFractions must be in \(0, 1\)/);
  });
});
