import type * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';
import { LATENCY_PREDICTOR_DEFAULTS, LatencyPredictor, type BuildPredictorOptions, type LatencyStatistic, type PredictorEvaluation } from './latency-predictor.js';
import { type FitPoint, pruneToWidths } from '@whittle/graph';
import type { LatencyClock } from './latency-table.js';
import { randomHalfWidths } from './random-widths.js';

/** The predictor against a measurement, without the raw stats. */
export interface PredictorCheck {
  readonly predictedMs: number;
  readonly measuredMs: number;
  readonly relativeError: number;
}

/** What `profileModel` measured, for printing or JSON. */
export interface ProfileReport {
  readonly model: string;
  readonly backend: string;
  readonly adapter: string | null;
  readonly batchSize: number;
  readonly clock: LatencyClock;
  readonly statistic: LatencyStatistic;
  readonly step: number;
  /** Measured layer calls in the model. */
  readonly sites: number;
  readonly prunableGroups: number;
  /** Distinct signatures the model needs, how many were measured now and how many reused. */
  readonly signatures: number;
  readonly measured: number;
  readonly reused: number;
  /** Whole models the fit needs, and how many of them were measured now (the others came from the table). */
  readonly wholeModels: number;
  readonly wholeModelsMeasured: number;
  /** Entries in the table afterwards (may include other models' signatures). */
  readonly tableEntries: number;
  /** Time spent building the predictor (signatures and the whole model). */
  readonly buildMs: number;
  /** The whole model at full width; the fit measured ≈ scale × Σ table + constant (see `fitLatency`), and the models it was fitted to. */
  readonly fullMs: number;
  readonly constantMs: number;
  readonly scale: number;
  readonly fitPoints: readonly FitPoint[];
  /** A fresh measurement of the full model against the prediction (the noise floor). */
  readonly fullWidth: PredictorCheck;
  /** A random ~50 % width configuration (see `randomHalfWidths`), pruned and measured. */
  readonly randomHalf: PredictorCheck & { readonly keptFraction: number };
}

function check(e: PredictorEvaluation): PredictorCheck {
  return { predictedMs: e.predictedMs, measuredMs: e.measuredMs, relativeError: e.relativeError };
}

/**
 * Builds (or extends) a latency table for `model` on the active backend, then checks the
 * predictor twice: against a fresh measurement of the full model, and against a pruned copy at a
 * random ~50 % width configuration (seeded).
 *
 * ```ts
 * const { predictor, report } = await profileModel(model, { batchSize: 1, step: 8, runs: 10, seed: 42 });
 * console.log(formatProfileReport(report));
 * await saveLatencyTable('latency-table.json', predictor.table);
 * ```
 */
export async function profileModel(model: tf.LayersModel, options: BuildPredictorOptions & { readonly seed?: number } = {}): Promise<{ predictor: LatencyPredictor; report: ProfileReport }> {
  const predictor = await LatencyPredictor.build(model, options);
  const full = await predictor.evaluate(model);
  const widths = randomHalfWidths(predictor.groups, SeededRng.from(options.seed ?? 0, 'profile-random-half'));
  const pruned = await pruneToWidths(model, widths);
  let half: PredictorEvaluation;
  try {
    half = await predictor.evaluate(pruned);
  } finally {
    pruned.dispose();
  }
  const kept = predictor.groups.reduce((sum, g) => sum + (widths.get(g.id) ?? g.channels), 0);
  const total = predictor.groups.reduce((sum, g) => sum + g.channels, 0);
  const header = predictor.table.header;
  const report: ProfileReport = {
    model: model.name,
    backend: header.backend,
    adapter: header.adapter,
    batchSize: header.batchSize,
    clock: header.clock,
    statistic: predictor.statistic,
    step: options.step ?? LATENCY_PREDICTOR_DEFAULTS.step,
    sites: predictor.buildStats.sites,
    prunableGroups: predictor.groups.length,
    signatures: predictor.buildStats.signatures,
    measured: predictor.buildStats.measured,
    reused: predictor.buildStats.reused,
    wholeModels: predictor.buildStats.wholeModels,
    wholeModelsMeasured: predictor.buildStats.wholeModelsMeasured,
    tableEntries: predictor.table.size,
    buildMs: predictor.buildStats.elapsedMs,
    fullMs: predictor.fullMs,
    constantMs: predictor.constantMs,
    scale: predictor.scale,
    fitPoints: predictor.fitPoints,
    fullWidth: check(full),
    randomHalf: { ...check(half), keptFraction: total === 0 ? 1 : kept / total },
  };
  return { predictor, report };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;

/**
 * The report as a few lines for a terminal.
 *
 * ```ts
 * io.stdout(formatProfileReport(report));
 * ```
 */
export function formatProfileReport(r: ProfileReport): string {
  const target = `${r.backend}${r.adapter === null ? '' : ` (${r.adapter})`}, batch ${r.batchSize}, ${r.clock} clock (${r.statistic}), step ${r.step}`;
  return [
    `latency table for ${r.model} on ${target}`,
    `  ${r.sites} measured layer calls, ${r.prunableGroups} prunable groups`,
    `  ${r.signatures} signatures: ${r.measured} measured, ${r.reused} reused; ${r.wholeModels} whole models: ${r.wholeModelsMeasured} measured, ` +
      `${r.wholeModels - r.wholeModelsMeasured} from the table; table now has ${r.tableEntries} entries; ${(r.buildMs / 1000).toFixed(1)} s`,
    `  model at full width ${r.fullMs.toFixed(3)} ms; fitted: model ≈ ${r.scale.toFixed(3)} × Σ table ${r.constantMs >= 0 ? '+' : '−'} ${Math.abs(r.constantMs).toFixed(3)} ms, ` +
      `on ${r.fitPoints.map((p) => `${(100 * p.fraction).toFixed(0)} % width ${p.measuredMs.toFixed(3)} ms`).join(', ')}`,
    `  predictor at full width:       predicted ${r.fullWidth.predictedMs.toFixed(3)} ms, measured ${r.fullWidth.measuredMs.toFixed(3)} ms, error ${pct(r.fullWidth.relativeError)}`,
    `  predictor at random ~50% width (${(100 * r.randomHalf.keptFraction).toFixed(0)} % of channels kept): predicted ${r.randomHalf.predictedMs.toFixed(3)} ms, measured ${r.randomHalf.measuredMs.toFixed(3)} ms, error ${pct(r.randomHalf.relativeError)}`,
    '',
  ].join('\n');
}
