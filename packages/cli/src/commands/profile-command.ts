import { selectBackend } from '@whittle/engine';
import { inputError, loadModel, type BackendPreference } from '@whittle/kernel';
import { formatProfileReport, loadLatencyTable, profileModel, saveLatencyTable, type LatencyClock, type LatencyStatistic } from '@whittle/plugin-profiler';
import type { CliIo } from '../cli-io.js';

export interface ProfileCommandOptions {
  /** Where to write the latency table (JSON). */
  readonly out: string;
  /** Batch size of every measurement. Default 1. */
  readonly batch?: number;
  /** Channel step g. Default 8. */
  readonly step?: number;
  /** Timed runs per signature and per whole-model measurement. Default 10. */
  readonly runs?: number;
  /** Untimed runs first. Default 3. */
  readonly warmup?: number;
  /** Default 'auto' (the fastest available). */
  readonly backend?: BackendPreference;
  /** Default 'wall'. */
  readonly clock?: LatencyClock;
  /** Statistic of the timed runs the predictor uses: 'median' (default) or 'p10' (steadier on a busy machine). */
  readonly statistic?: LatencyStatistic;
  /** At most this many cin and cout values measured per layer. Default 16. */
  readonly maxGrid?: number;
  /** Start from this table (same backend, adapter, batch, clock): only what it lacks is measured. */
  readonly table?: string;
  /** Seed of the random ~50 % width configuration. Default 0. */
  readonly seed?: number;
  /** Print the report as JSON. */
  readonly json?: boolean;
}

function positiveInt(name: string, value: number | undefined, min = 1): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw inputError('BAD_ARGUMENT', `whittle profile: --${name} must be an integer ≥ ${min}, got ${String(value)}`, `Pass e.g. --${name} ${Math.max(min, 8)}.`);
  }
}

/**
 * `whittle profile <model.json> --out table.json [--batch N] [--step g] [--runs N] [--backend NAME]`:
 * builds (or, with `--table`, extends) a per-layer latency lookup table for the model on the
 * selected backend, writes it atomically, and prints how many signatures were measured, how long it
 * took, and the latency predictor's error at full width and at a random ~50 % width configuration.
 *
 * ```ts
 * await profileCommand('models/resnet20/model.json', { out: 'latency-table.json', batch: 1, step: 8 }, io);
 * ```
 */
export async function profileCommand(modelJson: string, options: ProfileCommandOptions, io: CliIo): Promise<void> {
  positiveInt('batch', options.batch);
  positiveInt('step', options.step);
  positiveInt('runs', options.runs);
  positiveInt('warmup', options.warmup, 0);
  positiveInt('max-grid', options.maxGrid, 2);
  if (options.clock !== undefined && options.clock !== 'wall' && options.clock !== 'kernel') {
    throw inputError('BAD_ARGUMENT', `whittle profile: --clock must be wall or kernel, got ${JSON.stringify(options.clock)}`, 'Pass --clock wall or --clock kernel.');
  }
  const choice = await selectBackend(options.backend ?? 'auto');
  io.logger.info(choice.summary);
  const adapter = choice.adapter?.description ?? null;
  const batchSize = options.batch ?? 1;
  const clock = options.clock ?? 'wall';
  const table = options.table === undefined ? undefined : await loadLatencyTable(options.table, { backend: choice.name, adapter, batchSize, clock });
  const model = await loadModel(modelJson);
  try {
    const { predictor, report } = await profileModel(model, {
      batchSize,
      clock,
      adapter,
      logger: io.logger,
      ...(table === undefined ? {} : { table }),
      ...(options.step === undefined ? {} : { step: options.step }),
      ...(options.runs === undefined ? {} : { runs: options.runs }),
      ...(options.warmup === undefined ? {} : { warmup: options.warmup }),
      ...(options.maxGrid === undefined ? {} : { maxGridPoints: options.maxGrid }),
      ...(options.statistic === undefined ? {} : { statistic: options.statistic }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    await saveLatencyTable(options.out, predictor.table);
    io.stdout(options.json === true ? `${JSON.stringify({ ...report, table: options.out }, null, 2)}\n` : `${formatProfileReport(report)}table written to ${options.out}\n`);
  } finally {
    model.dispose();
  }
}
