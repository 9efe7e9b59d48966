import type * as tf from '@tensorflow/tfjs';
import { type Logger } from '@whittle/kernel';
import { measureLatency, type LatencyStats } from '@whittle/metrics';
import { signatureKey, type LayerSignature } from '@whittle/graph';
import type { LatencyClock, LatencyEntry } from './latency-table.js';
import { measureSignature } from './measure-signature.js';
import { QuietProbe } from './quiet-probe.js';
import { warmUp } from './warm-up.js';

/** How `measureTable` measures. */
export interface TableMeasurementSettings {
  readonly batchSize: number;
  /** Timed loops per signature in all (split over `rounds`), and timed runs per whole-model window. */
  readonly runs: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly warmupMs: number;
  readonly minLoopMs: number;
  readonly clock: LatencyClock;
  readonly statistic: 'median' | 'p10';
}

/** What `measureTable` found. */
export interface TableMeasurement {
  /** One entry per signature asked for. */
  readonly entries: LatencyEntry[];
  /** Each whole model given, in order: its lowest quiet window (the lowest of all where none was quiet). */
  readonly modelsMs: readonly number[];
  /** Signatures that were never measured while the probe was quiet (their lowest round is kept). */
  readonly busySignatures: number;
  /** Probe samples taken. */
  readonly probeSamples: number;
}

/** Whole-model windows spread over the measurement. */
export const WHOLE_MODEL_WINDOWS = 5;
/** Signatures measured between two probe samples. */
const PROBE_EVERY = 8;
/** Passes over the signatures never measured in a quiet stretch, after the planned rounds. */
const EXTRA_PASSES = 2;

/** The table's clock and statistic of a whole-model measurement. */
export type ModelClock = (stats: LatencyStats) => number;

interface Measured {
  readonly entry: LatencyEntry;
  /** The slower of the probe samples before and after it. */
  readonly level: number;
}

/**
 * Measures `signatures` and whole models for a latency table on a machine that may be busy:
 * `rounds` passes over the signatures (⌈runs / rounds⌉ timed loops each), a `QuietProbe` sample
 * every few signatures, and `WHOLE_MODEL_WINDOWS` windows spread over the passes, each timing every
 * model of `models` in turn (each after a warm-up). Signatures with no round in a quiet stretch get
 * up to 2 more passes. Each entry is its lowest quiet round; each model its lowest quiet window.
 * Without a probe (no weighted layer to use as one), every round counts as quiet.
 *
 * ```ts
 * const { entries, modelsMs: [fullMs] } = await measureTable([model], [...missing.values()], probeSignature, settings, (s) => s.medianMs, logger);
 * ```
 */
export async function measureTable(
  models: readonly tf.LayersModel[], signatures: readonly LayerSignature[], probeSignature: LayerSignature | undefined,
  settings: TableMeasurementSettings, modelMs: ModelClock, logger: Logger,
): Promise<TableMeasurement> {
  const statistic = (entry: LatencyEntry): number => (settings.statistic === 'p10' ? entry.p10 : entry.ms);
  const probe = probeSignature === undefined ? undefined : new QuietProbe(probeSignature, { clock: settings.clock, statistic: settings.statistic, minLoopMs: settings.minLoopMs });
  const quiet = (level: number): boolean => probe === undefined || probe.isQuiet(level);
  let lastLevel = probe === undefined ? 0 : await probe.sample();
  const nextLevel = async (): Promise<number> => {
    const before = lastLevel;
    lastLevel = probe === undefined ? 0 : await probe.sample();
    return Math.max(before, lastLevel);
  };

  const windows: { ms: number[]; level: number }[] = [];
  const measureWindow = async (): Promise<void> => {
    const ms: number[] = [];
    for (const model of models) {
      // Signature measurements in between leave the model's code and data cold: warm it up again, as `evaluate` does.
      await warmUp(model, settings.batchSize, { minRuns: settings.warmup, maxMs: settings.warmupMs });
      ms.push(modelMs(await measureLatency(model, { batchSize: settings.batchSize, warmup: 0, runs: settings.runs })));
    }
    windows.push({ ms, level: await nextLevel() });
  };

  const measured = new Map<LayerSignature, Measured[]>(signatures.map((s) => [s, []]));
  const runsPerRound = Math.ceil(settings.runs / settings.rounds);
  const planned = settings.rounds * signatures.length;
  const windowAfter = new Set(Array.from({ length: WHOLE_MODEL_WINDOWS - 1 }, (_, i) => Math.floor(((i + 1) * planned) / WHOLE_MODEL_WINDOWS)));
  const progress = logger.progress(`latency table: measuring ${signatures.length} layer signatures, ${settings.rounds} rounds`, planned);
  let done = 0;
  const pass = async (list: readonly LayerSignature[], counted: boolean): Promise<void> => {
    for (let start = 0; start < list.length; start += PROBE_EVERY) {
      const chunk: LatencyEntry[] = [];
      for (const signature of list.slice(start, start + PROBE_EVERY)) {
        chunk.push(await measureSignature(signature, { warmup: settings.warmup, runs: runsPerRound, clock: settings.clock, minLoopMs: settings.minLoopMs }));
        if (counted) {
          done++;
          progress.tick(1);
        }
      }
      const level = await nextLevel();
      for (const entry of chunk) measured.get(entry.signature)?.push({ entry, level });
      if (counted && [...windowAfter].some((at) => at > done - chunk.length && at <= done)) await measureWindow();
    }
  };

  await measureWindow();
  for (let round = 0; round < settings.rounds; round++) await pass(signatures, true);
  for (let extra = 0; extra < EXTRA_PASSES; extra++) {
    const busy = signatures.filter((s) => !(measured.get(s) ?? []).some((m) => quiet(m.level)));
    if (busy.length > 0) await pass(busy, false);
    if (!windows.some((w) => quiet(w.level))) await measureWindow();
  }
  while (windows.length < WHOLE_MODEL_WINDOWS) await measureWindow();
  progress.done();

  let busySignatures = 0;
  const entries = signatures.map((s) => {
    const all = measured.get(s) ?? [];
    const calm = all.filter((m) => quiet(m.level));
    if (calm.length === 0) busySignatures++;
    return (calm.length > 0 ? calm : all).reduce((best, m) => (statistic(m.entry) < statistic(best.entry) ? m : best)).entry;
  });
  const calmWindows = windows.filter((w) => quiet(w.level));
  const counted = calmWindows.length > 0 ? calmWindows : windows;
  const modelsMs = models.map((_, i) => Math.min(...counted.map((w) => w.ms[i] as number)));
  if (busySignatures > 0 && probe !== undefined) {
    logger.warn(`latency table: ${busySignatures} of ${signatures.length} signatures were only measured while the machine was busy ` +
      `(probe ${signatureKey(probe.signature)} over 1.15 × its fastest ${probe.fastestMs.toFixed(3)} ms); rebuild them on a quieter machine for better predictions`);
  }
  return { entries, modelsMs, busySignatures, probeSamples: probe?.samples ?? 0 };
}
