import * as tf from '@tensorflow/tfjs';
import { dependencyGroups, type DependencyGroup, fitLatency, sameWidths, uniformWidths, type FitPoint, latencySites, sideWidth, type GroupWidths, type LatencySite, channelsFollowInput, signatureKey, withChannels, type LayerSignature, pruneToWidths, candidateWidths, sideValues, thinOut } from '@whittle/graph';
import { inputError, silentLogger, type Logger } from '@whittle/kernel';
import { measureLatency, type LatencyStats } from '@whittle/metrics';
import { LatencyGrid } from './latency-grid.js';
import { headerDifferences, LatencyTable, type LatencyClock } from './latency-table.js';
import { machineNote } from './machine-note.js';
import { measureTable, WHOLE_MODEL_WINDOWS } from './table-measurement.js';
import { warmUp } from './warm-up.js';
import { wholeModelKey } from './whole-model-key.js';

/** Which statistic of the timed runs a prediction is built from. */
export type LatencyStatistic = 'median' | 'p10';

export interface BuildPredictorOptions {
  /** Batch size of every measurement. Default 1. */
  readonly batchSize?: number;
  /** Channel step g: groups are priced at every multiple of g below their width, and at full width. Default 8. */
  readonly step?: number;
  /** Timed runs per signature (split over `rounds`) and per whole-model window. Default 10. */
  readonly runs?: number;
  /**
   * Every missing signature is measured in this many rounds over the whole list, ⌈runs / rounds⌉
   * timed loops each, and its lowest round taken while a probe op ran at full speed is kept: a
   * burst of other work on the machine then spoils one round of a signature, not its entry (see
   * `measureTable`). Default 2.
   */
  readonly rounds?: number;
  /** Untimed runs first. Default 3. */
  readonly warmup?: number;
  /** Each signature is timed in loops of K ops and one read-back, K grown until a loop takes this long (ms); see `timeOp`. Default 1. */
  readonly minLoopMs?: number;
  /** Whole-model measurements first warm up for ~300 runs, but at most this long (see `warmUp`). Default 2000. */
  readonly warmupMs?: number;
  /** Default 'wall'. */
  readonly clock?: LatencyClock;
  /**
   * Which statistic of the timed runs the predictor uses, for the table and the whole model alike:
   * 'median' (default) or 'p10', the 10th percentile, far steadier on a machine shared with other
   * work (it drops runs that were preempted). 'p10' needs the wall clock.
   */
  readonly statistic?: LatencyStatistic;
  /** At most this many cin and this many cout values are measured per layer (≤ max² points); others are interpolated. Default 16. */
  readonly maxGridPoints?: number;
  /**
   * Besides the unpruned model, whole models pruned uniformly to these fractions of every group
   * (candidate widths) are measured to fit measured ≈ scale × Σ table + constant (see `fitLatency`).
   * Each costs its share of every whole-model window. [] keeps scale 1 and takes the constant at
   * full width alone. Default [0.75, 0.5, 0.25].
   */
  readonly fitFractions?: readonly number[];
  /**
   * Entries to reuse; missing ones are measured and added to it. Must match the target. Its
   * whole-model entries (see `wholeModelKey`) are reused too, so that the fit of a table measured
   * on another device (a browser page) stays that device's. Default: a new table.
   */
  readonly table?: LatencyTable;
  /**
   * Which device the predictions are for. `'active'` (default): the active tfjs backend, measuring
   * whatever `table` lacks. `'table'`: the device `table` was measured on (its header's backend and
   * adapter), which may be another one than this process runs on — a user's browser on WebGL, say;
   * nothing is measured, so the table must hold every layer signature and whole model the
   * prediction needs (`LATENCY_TABLE_INCOMPLETE` otherwise: measure the model on that device, with
   * the same step, grid and fit fractions).
   */
  readonly device?: 'active' | 'table';
  /** The GPU adapter description for the header and keys (WebGPU). Default null. */
  readonly adapter?: string | null;
  /** Header note. Default: CPU model, cores, OS, Node version. */
  readonly machine?: string;
  readonly logger?: Logger;
}

/** A prunable group as the knapsack sees it. */
export interface PredictorGroup {
  readonly id: string;
  readonly channels: number;
  /** The widths priced by the table (multiples of the step, and full), ascending. */
  readonly widths: readonly number[];
  /** The sites (measured layer calls) whose cin or cout follow this group. */
  readonly sites: readonly string[];
}

/** What building the predictor cost. */
export interface PredictorBuildStats {
  readonly sites: number;
  /** Distinct signatures the model needs. */
  readonly signatures: number;
  /** Of those, measured now. */
  readonly measured: number;
  /** Of those, found in the table given. */
  readonly reused: number;
  /** Whole models the fit needs (the unpruned one and the uniformly pruned ones). */
  readonly wholeModels: number;
  /** Of those, measured now; the others' times came from the table (measured where the table was). */
  readonly wholeModelsMeasured: number;
  /** Time spent measuring signatures and the whole model. */
  readonly elapsedMs: number;
}

/** The predictor against a real measurement. */
export interface PredictorEvaluation {
  readonly predictedMs: number;
  readonly measuredMs: number;
  /** (predicted − measured) / measured. */
  readonly relativeError: number;
  readonly widths: ReadonlyMap<string, number>;
  readonly stats: LatencyStats;
}

/** What `LatencyPredictor.build` uses for an option left out; the profiler's options schema takes its defaults from here. */
export const LATENCY_PREDICTOR_DEFAULTS = { batchSize: 1, step: 8, runs: 10, warmup: 3, clock: 'wall', statistic: 'median', maxGridPoints: 16 } as const;

interface Validated {
  readonly batchSize: number;
  readonly step: number;
  readonly runs: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly minLoopMs: number;
  readonly warmupMs: number;
  readonly clock: LatencyClock;
  readonly statistic: LatencyStatistic;
  readonly maxGridPoints: number;
  readonly fitFractions: readonly number[];
}

function validate(options: BuildPredictorOptions): Validated {
  const int = (name: keyof BuildPredictorOptions, value: number, min: number): number => {
    if (!Number.isInteger(value) || value < min) {
      throw inputError('BAD_LATENCY_OPTION', `latency predictor option ${name} must be an integer ≥ ${min}, got ${String(value)}`, `Set ${name} to e.g. ${Math.max(min, 8)}.`);
    }
    return value;
  };
  const clock = options.clock ?? LATENCY_PREDICTOR_DEFAULTS.clock;
  if (clock !== 'wall' && clock !== 'kernel') {
    throw inputError('BAD_LATENCY_OPTION', `latency predictor option clock must be "wall" or "kernel", got ${JSON.stringify(clock)}`, 'Use "wall" (what users wait for) or "kernel" (device time).');
  }
  const statistic = options.statistic ?? LATENCY_PREDICTOR_DEFAULTS.statistic;
  if (statistic !== 'median' && statistic !== 'p10') {
    throw inputError('BAD_LATENCY_OPTION', `latency predictor option statistic must be "median" or "p10", got ${JSON.stringify(statistic)}`, 'Use "median" (default) or "p10" on a busy machine.');
  }
  if (statistic === 'p10' && clock === 'kernel') {
    throw inputError('BAD_LATENCY_OPTION', 'latency predictor: statistic "p10" needs the wall clock (whole-model kernel time is a median)', 'Use clock "wall" with "p10", or "median" with "kernel".');
  }
  const minLoopMs = options.minLoopMs ?? 1;
  if (typeof minLoopMs !== 'number' || !(minLoopMs >= 0) || !Number.isFinite(minLoopMs)) {
    throw inputError('BAD_LATENCY_OPTION', `latency predictor option minLoopMs must be a number ≥ 0, got ${String(minLoopMs)}`, 'Set minLoopMs to e.g. 1 (ms per timed loop).');
  }
  const fitFractions = options.fitFractions ?? [0.75, 0.5, 0.25];
  if (!Array.isArray(fitFractions) || fitFractions.some((f) => typeof f !== 'number' || !(f > 0 && f < 1))) {
    throw inputError('BAD_LATENCY_OPTION', `latency predictor option fitFractions must be a list of numbers in (0, 1), got ${JSON.stringify(fitFractions)}`,
      'Give e.g. [0.75, 0.5, 0.25] (uniformly pruned models measured to fit the predictor), or [] for none.');
  }
  return {
    statistic,
    minLoopMs,
    fitFractions,
    batchSize: int('batchSize', options.batchSize ?? LATENCY_PREDICTOR_DEFAULTS.batchSize, 1),
    step: int('step', options.step ?? LATENCY_PREDICTOR_DEFAULTS.step, 1),
    runs: int('runs', options.runs ?? LATENCY_PREDICTOR_DEFAULTS.runs, 1),
    rounds: int('rounds', options.rounds ?? 2, 1),
    warmup: int('warmup', options.warmup ?? LATENCY_PREDICTOR_DEFAULTS.warmup, 0),
    warmupMs: int('warmupMs', options.warmupMs ?? 2000, 0),
    clock,
    maxGridPoints: int('maxGridPoints', options.maxGridPoints ?? LATENCY_PREDICTOR_DEFAULTS.maxGridPoints, 2),
  };
}

/** Σ of the table latencies of `sites` at the (cin, cout) the widths imply, as timed alone (before the fit's scale). */
function tableSum(grids: ReadonlyMap<string, LatencyGrid>, sites: readonly LatencySite[], widths: GroupWidths): number {
  return sites.reduce((sum, site) => sum + (grids.get(site.id) as LatencyGrid).at(sideWidth(site.cin, widths), sideWidth(site.cout, widths)), 0);
}

function clockMs(stats: LatencyStats, clock: LatencyClock, statistic: LatencyStatistic): number {
  if (clock === 'wall') return statistic === 'p10' ? stats.p10Ms : stats.medianMs;
  if (stats.kernelMs === undefined) {
    throw inputError('LATENCY_NO_KERNEL_CLOCK', `backend "${stats.backend}" reports no kernel time for the whole model`, 'Use the wall clock.');
  }
  return stats.kernelMs;
}

/** The site whose full-width signature has the most multiply–accumulates: the probe that tells quiet stretches of the machine from busy ones. */
function probeSignature(sites: readonly LatencySite[]): LayerSignature | undefined {
  let best: { signature: LayerSignature; macs: number } | undefined;
  for (const { signature: s } of sites) {
    if (channelsFollowInput(s.op) && s.op !== 'depthwise') continue;
    const macs = (s.height * s.width * s.kernel[0] * s.kernel[1] * s.cin * s.cout) / (s.stride[0] * s.stride[1] * s.groups);
    if (best === undefined || macs > best.macs) best = { signature: s, macs };
  }
  return best?.signature;
}

/**
 * How `evaluate` measures a model, with the same estimator as the constant: warm-up (see `warmUp`),
 * then WHOLE_MODEL_WINDOWS back-to-back `measureLatency` windows; the lowest window is returned.
 */
async function measureModel(model: tf.LayersModel, settings: Validated): Promise<LatencyStats> {
  await warmUp(model, settings.batchSize, { minRuns: settings.warmup, maxMs: settings.warmupMs });
  let best: LatencyStats | undefined;
  for (let i = 0; i < WHOLE_MODEL_WINDOWS; i++) {
    const stats = await measureLatency(model, { batchSize: settings.batchSize, warmup: 0, runs: settings.runs });
    if (best === undefined || clockMs(stats, settings.clock, settings.statistic) < clockMs(best, settings.clock, settings.statistic)) best = stats;
  }
  return best as LatencyStats;
}

/**
 * Predicts a model's latency from its group widths with a measured per-layer lookup table (HALP's
 * LUT): Σ over measured layer calls (weighted layers, and the BatchNorm, activations, merges,
 * pooling and padding their channels pass through) of the table latency at the (cin, cout) the
 * widths imply, times a scale, plus a constant for everything else (the layers API's JavaScript,
 * read-back, unmodelled layers). Scale and constant are fitted by least squares (`fitLatency`) to
 * whole models measured at full width and pruned uniformly to `fitFractions` (each its lowest
 * quiet window of 5 spread over the build, see `measureTable`): layers timed alone run at a
 * slightly different speed than in the model, and that error, carried by a constant taken at full
 * width alone, grows to tens of percent on small models.
 *
 * For each layer, every cin the input groups can take (steps of g) × every cout the output groups
 * can take (one cout for depthwise layers and passthrough ops, whose output follows cin) is
 * measured, at most `maxGridPoints` values per axis (evenly by rank); latencies between measured
 * points are interpolated bilinearly. Each signature is timed in loops of K ops with one read-back
 * (see `timeOp`), in `rounds` passes checked by a quiet probe (see `measureTable`).
 *
 * ```ts
 * const predictor = await LatencyPredictor.build(model, { batchSize: 1, step: 8, runs: 10 });
 * predictor.predict(new Map([['stem_conv', 8]]));                // ms
 * predictor.groupCost('stem_conv', 8, predictor.fullWidths());  // ms of the layers that group touches
 * await saveLatencyTable('latency-table.json', predictor.table);
 * ```
 */
export class LatencyPredictor {
  private readonly groupById: ReadonlyMap<string, DependencyGroup>;
  private readonly sitesOfGroup: ReadonlyMap<string, readonly LatencySite[]>;

  private constructor(
    readonly table: LatencyTable,
    readonly sites: readonly LatencySite[],
    private readonly grids: ReadonlyMap<string, LatencyGrid>,
    allGroups: readonly DependencyGroup[],
    readonly groups: readonly PredictorGroup[],
    /** The whole model at full width, measured (the table's clock and statistic; lowest quiet window of 5 spread over the build). */
    readonly fullMs: number,
    /** The fitted part of the model outside the table (ms; may be negative when the table reads high). */
    readonly constantMs: number,
    /** The fitted factor from Σ table latencies (layers timed alone) to their time in the model. */
    readonly scale: number,
    /** The whole models measured for the fit (the unpruned one first). */
    readonly fitPoints: readonly FitPoint[],
    readonly buildStats: PredictorBuildStats,
    private readonly settings: Validated,
  ) {
    this.groupById = new Map(allGroups.map((g) => [g.id, g]));
    const byGroup = new Map<string, LatencySite[]>();
    for (const site of sites) {
      for (const term of [...site.cin.terms, ...site.cout.terms]) {
        const list = byGroup.get(term.group) ?? [];
        if (!list.includes(site)) list.push(site);
        byGroup.set(term.group, list);
      }
    }
    this.sitesOfGroup = byGroup;
  }

  /** Measures what `table` lacks for `model` on the active backend, then the whole model; see the class comment. */
  static async build(model: tf.LayersModel, options: BuildPredictorOptions = {}): Promise<LatencyPredictor> {
    const settings = validate(options);
    const logger = options.logger ?? silentLogger;
    const onTableDevice = options.device === 'table';
    if (onTableDevice && options.table === undefined) {
      throw inputError('BAD_LATENCY_OPTION', 'latency predictor option device "table" needs a table to predict from', 'Pass the table measured on the device, or use device "active".');
    }
    const target = onTableDevice
      ? { backend: options.table!.header.backend, adapter: options.table!.header.adapter, batch: settings.batchSize }
      : { backend: tf.getBackend(), adapter: options.adapter ?? null, batch: settings.batchSize };
    const table = options.table ?? LatencyTable.create({ backend: target.backend, adapter: target.adapter, batchSize: target.batch, clock: settings.clock, machine: options.machine ?? machineNote() });
    const differences = headerDifferences(table.header, { backend: target.backend, adapter: target.adapter, batchSize: target.batch, clock: settings.clock });
    if (differences.length > 0) {
      throw inputError('LATENCY_TABLE_MISMATCH', `the latency table given was measured for another target: ${differences.join(', ')}`,
        'Pass a table for this backend, adapter, batch size and clock, or none.');
    }
    const started = performance.now();
    const allGroups = dependencyGroups(model);
    const sites = latencySites(model, allGroups, target);
    const candidates = new Map<string, number[]>();
    for (const g of allGroups) if (g.prunable) candidates.set(g.id, candidateWidths(g.channels, settings.step));

    // The grid of every site, and the signatures it needs (deduplicated: repeated blocks share them).
    const plans = sites.map((site) => {
      const cinValues = thinOut(sideValues(site.cin, candidates), settings.maxGridPoints);
      const coutValues = channelsFollowInput(site.signature.op) ? [site.signature.cout] : thinOut(sideValues(site.cout, candidates), settings.maxGridPoints);
      const signatures = cinValues.map((cin) => coutValues.map((cout) => withChannels(site.signature, cin, cout)));
      return { site, cinValues, coutValues, signatures };
    });
    const needed = new Map<string, LayerSignature>();
    for (const plan of plans) for (const row of plan.signatures) for (const s of row) needed.set(signatureKey(s), s);
    const missing = [...needed].filter(([key]) => !table.has(key)).map(([, signature]) => signature);
    const groups: PredictorGroup[] = allGroups.filter((g) => g.prunable).map((g) => ({
      id: g.id,
      channels: g.channels,
      widths: candidates.get(g.id) ?? [g.channels],
      sites: sites.filter((s) => [...s.cin.terms, ...s.cout.terms].some((t) => t.group === g.id)).map((s) => s.id),
    }));
    const full = new Map(groups.map((g) => [g.id, g.channels]));
    const fits: { fraction: number; widths: Map<string, number> }[] = [];
    for (const fraction of settings.fitFractions) {
      const widths = uniformWidths(groups, fraction);
      if (!sameWidths(widths, full) && !fits.some((f) => sameWidths(f.widths, widths))) fits.push({ fraction, widths });
    }
    // Whole models the table already holds (measured where the table was built) are not measured again.
    const wanted = [{ fraction: 1, widths: full }, ...fits].map((fit) => {
      const key = wholeModelKey(sites, fit.widths);
      const known = table.getModel(key);
      return { ...fit, key, knownMs: known !== undefined && known.statistic === settings.statistic ? known.ms : undefined };
    });
    const toMeasure = wanted.filter((w) => w.knownMs === undefined);
    if (onTableDevice && (missing.length > 0 || toMeasure.length > 0)) {
      const lacks = [missing.length > 0 ? `${missing.length} of the ${needed.size} layer signatures` : '', toMeasure.length > 0 ? `${toMeasure.length} of the ${wanted.length} whole models the fit needs` : '']
        .filter((x) => x !== '').join(' and ');
      throw inputError('LATENCY_TABLE_INCOMPLETE', `the latency table for ${target.backend}${target.adapter === null ? '' : ` (${target.adapter})`} lacks ${lacks} of model "${model.name}", and that device cannot be measured from here (${tf.getBackend()})`,
        `Measure this model on that device (the browser page, or \`whittle profile\` there) with step ${settings.step}, at most ${settings.maxGridPoints} widths per layer side and fit fractions ${JSON.stringify(settings.fitFractions)}, and use that table.`);
    }
    const fitModels: tf.LayersModel[] = [];
    let measurement: Awaited<ReturnType<typeof measureTable>> | undefined;
    try {
      for (const w of toMeasure) fitModels.push(w.fraction === 1 ? model : await pruneToWidths(model, w.widths));
      if (missing.length > 0 || toMeasure.length > 0) {
        measurement = await measureTable(fitModels, missing, probeSignature(sites), settings, (stats) => clockMs(stats, settings.clock, settings.statistic), logger);
      }
    } finally {
      fitModels.forEach((m) => m !== model && m.dispose());
    }
    for (const entry of measurement?.entries ?? []) table.set(entry);
    const modelsMs = wanted.map((w) => w.knownMs ?? (measurement?.modelsMs[toMeasure.indexOf(w)] as number));
    toMeasure.forEach((w, i) => table.setModel(w.key, { ms: measurement?.modelsMs[i] as number, statistic: settings.statistic, clock: settings.clock, runs: settings.runs, sites: sites.length }));

    const grids = new Map<string, LatencyGrid>();
    for (const plan of plans) {
      const ms = plan.signatures.map((row) => row.map((s) => {
        const entry = table.get(s);
        return entry === undefined ? Number.NaN : settings.statistic === 'p10' ? entry.p10 : entry.ms;
      }));
      grids.set(plan.site.id, new LatencyGrid(plan.cinValues, plan.coutValues, ms));
    }
    const fitPoints: FitPoint[] = wanted.map(({ fraction, widths }, i) => ({ fraction, tableMs: tableSum(grids, sites, widths), measuredMs: modelsMs[i] as number }));
    const { scale, constantMs } = fitLatency(fitPoints);
    const stats: PredictorBuildStats = {
      sites: sites.length,
      signatures: needed.size,
      measured: missing.length,
      reused: needed.size - missing.length,
      wholeModels: wanted.length,
      wholeModelsMeasured: toMeasure.length,
      elapsedMs: performance.now() - started,
    };
    return new LatencyPredictor(table, sites, grids, allGroups, groups, modelsMs[0] as number, constantMs, scale, fitPoints, stats, settings);
  }

  /** The statistic of the timed runs that predictions use. */
  get statistic(): LatencyStatistic {
    return this.settings.statistic;
  }

  /** Every prunable group at full width. */
  fullWidths(): Map<string, number> {
    return new Map(this.groups.map((g) => [g.id, g.channels]));
  }

  /** The candidate widths of a group (multiples of the step, and full), ascending. */
  groupWidths(groupId: string): readonly number[] {
    return this.prunableGroup(groupId).widths;
  }

  /**
   * Predicted model latency (ms, the table's clock) with each named group at its width; groups not
   * named keep all their channels. Refuses unknown or unprunable groups and widths outside 1 … channels.
   */
  predict(widths: GroupWidths): number {
    this.checkWidths(widths);
    return this.constantMs + this.scale * tableSum(this.grids, this.sites, widths);
  }

  /** The table latency of one measured layer call (site id) under `widths`, as timed alone (before `scale`). */
  siteLatency(siteId: string, widths: GroupWidths): number {
    const site = this.sites.find((s) => s.id === siteId);
    if (site === undefined) {
      throw inputError('LATENCY_UNKNOWN_SITE', `no measured layer "${siteId}" in the profiled model`, `Use one of: ${this.sites.slice(0, 8).map((s) => s.id).join(', ')}${this.sites.length > 8 ? ', …' : ''}.`);
    }
    this.checkWidths(widths);
    return tableSum(this.grids, [site], widths);
  }

  /**
   * The latency (scaled as in `predict`) of the layers a group touches (producers: cout; consumers: cin) with the group at
   * `width` and every other group at its width in `widths`: what a group knapsack compares between
   * candidate widths (HALP's adaptive cost: the neighbours' current widths set the other axis).
   */
  groupCost(groupId: string, width: number, widths: GroupWidths = new Map()): number {
    this.prunableGroup(groupId);
    const merged = new Map(widths);
    merged.set(groupId, width);
    this.checkWidths(merged);
    return this.scale * tableSum(this.grids, this.sitesOfGroup.get(groupId) ?? [], merged);
  }

  /**
   * The group widths of a channel-pruned copy of the profiled model (e.g. from `pruneChannels`):
   * each group's channel count in it. Refuses a model whose layers do not follow the profiled
   * model's structure.
   */
  widthsOf(pruned: tf.LayersModel): Map<string, number> {
    const prunedGroups = new Map(dependencyGroups(pruned).map((g) => [g.id, g]));
    const widths = new Map<string, number>();
    for (const g of this.groups) {
      const found = prunedGroups.get(g.id);
      if (found === undefined) {
        throw inputError('LATENCY_MODEL_MISMATCH', `model "${pruned.name}" has no dependency group "${g.id}", which the profiled model has`, 'Evaluate a channel-pruned copy of the profiled model.');
      }
      widths.set(g.id, found.channels);
    }
    const target = { backend: this.table.header.backend, adapter: this.table.header.adapter, batch: this.settings.batchSize };
    const actualSites = latencySites(pruned, [...prunedGroups.values()], target);
    if (actualSites.length !== this.sites.length) {
      throw inputError('LATENCY_MODEL_MISMATCH', `model "${pruned.name}" has ${actualSites.length} measured layer calls; the profiled model has ${this.sites.length}`,
        'Evaluate a channel-pruned copy of the profiled model.');
    }
    for (const actual of actualSites) {
      const site = this.sites.find((s) => s.id === actual.id);
      const expected = site === undefined ? undefined : withChannels(site.signature, sideWidth(site.cin, widths), sideWidth(site.cout, widths));
      if (expected === undefined || signatureKey(expected) !== signatureKey(actual.signature)) {
        throw inputError('LATENCY_MODEL_MISMATCH', `layer "${actual.id}" of model "${pruned.name}" is ${signatureKey(actual.signature)}; the profiled model at these widths implies ${expected === undefined ? 'no such layer' : signatureKey(expected)}`,
          'Evaluate a channel-pruned copy of the profiled model (its last channels removed: pruneToWidths).');
      }
    }
    return widths;
  }

  /**
   * The predictor's relative error on a channel-pruned copy of the profiled model: its predicted
   * latency against `measureLatency` of the model itself (same batch, warm-up, runs, clock and
   * statistic; lowest of 5 back-to-back windows, the estimator the constant uses).
   */
  async evaluate(pruned: tf.LayersModel): Promise<PredictorEvaluation> {
    const widths = this.widthsOf(pruned);
    const predictedMs = this.predict(widths);
    const stats = await measureModel(pruned, this.settings);
    const measuredMs = clockMs(stats, this.settings.clock, this.settings.statistic);
    return { predictedMs, measuredMs, relativeError: (predictedMs - measuredMs) / measuredMs, widths, stats };
  }

  private prunableGroup(groupId: string): PredictorGroup {
    const group = this.groups.find((g) => g.id === groupId);
    if (group === undefined) {
      const known = this.groupById.get(groupId);
      throw inputError(known === undefined ? 'LATENCY_UNKNOWN_GROUP' : 'LATENCY_UNPRUNABLE_GROUP',
        known === undefined ? `the profiled model has no dependency group "${groupId}"` : `group "${groupId}" cannot be pruned: ${known.blockedBy.join('; ')}`,
        `Use a prunable group: ${this.groups.slice(0, 8).map((g) => g.id).join(', ')}${this.groups.length > 8 ? ', …' : ''}.`);
    }
    return group;
  }

  private checkWidths(widths: GroupWidths): void {
    if (!(widths instanceof Map)) {
      throw inputError('LATENCY_BAD_WIDTH', 'group widths must be a Map of group id → kept channels', "Pass new Map([['stem_conv', 8]]).");
    }
    for (const [id, width] of widths) {
      const known = this.groupById.get(id);
      if (known !== undefined && !known.prunable && width === known.channels) continue;
      const group = this.prunableGroup(id);
      if (!Number.isInteger(width) || width < 1 || width > group.channels) {
        throw inputError('LATENCY_BAD_WIDTH', `width ${String(width)} for group "${id}" is outside 1 … ${group.channels}`, `Keep between 1 and ${group.channels} channels.`);
      }
    }
  }
}
