import { selectBackend } from '@whittle/engine';
import { inputError, type BackendPreference, type LatencyModel } from '@whittle/kernel';
import { checkOutputFilePath, loadModel } from '@whittle/model-io';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { cliRegistry } from '../cli-registry.js';

export interface ProfileCommandOptions {
  /** The registered latency model to profile with. Default `tfjs-profiler`. */
  readonly latencyModel?: string;
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
  readonly clock?: 'wall' | 'kernel';
  /** Statistic of the timed runs the predictor uses: 'median' (default) or 'p10' (steadier on a busy machine). */
  readonly statistic?: 'median' | 'p10';
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

/** The latency model registered under `name` (in the CLI's and the installed packages), able to profile. */
async function profilingModel(name: string): Promise<LatencyModel> {
  const registry = await cliRegistry(process.cwd());
  const found = registry.latencyModels.get(name, { hint: 'Install the package that registers it, or pass --latency-model with a registered name.' });
  if (found.profile === undefined) {
    throw inputError('LATENCY_MODEL_NOT_PROFILED', `whittle profile: latency model "${name}" has nothing to measure (it is analytic)`, 'Profile with a measured latency model, e.g. --latency-model tfjs-profiler.');
  }
  return found;
}

/**
 * `whittle profile <model.json> --out table.json [--latency-model NAME] [--batch N] [--step g] [--runs N] [--backend NAME]`:
 * finds the latency model by name in the registry (default `tfjs-profiler`: builds, or with
 * `--table` extends, a per-layer latency lookup table for the model on the selected backend),
 * writes what it measured atomically, and prints how many signatures were measured, how long it
 * took, and the prediction's error at full width and at a random ~50 % width configuration.
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
  // Before minutes of measuring: the table must be writable where --out says.
  await checkOutputFilePath(options.out, 'the latency table (--out)');
  const latencyModel = await profilingModel(options.latencyModel ?? 'tfjs-profiler');
  const choice = await selectBackend(options.backend ?? 'auto');
  io.logger.info(choice.summary);
  const model = await loadModel(modelJson);
  try {
    const profile = await latencyModel.profile!(model, {
      batchSize: options.batch ?? 1,
      step: options.step ?? 8,
      timing: {
        warmup: options.warmup ?? 3, runs: options.runs ?? 10, maxGridPoints: options.maxGrid ?? 16, clock: options.clock ?? 'wall',
        ...(options.statistic === undefined ? {} : { statistic: options.statistic }),
      },
      adapter: choice.adapter?.description ?? null,
      logger: io.logger,
      out: options.out,
      seed: options.seed ?? 0,
      ...(options.table === undefined ? {} : { tableFile: resolve(options.table) }),
    });
    io.stdout(options.json === true ? `${JSON.stringify({ ...profile.details, latencyModel: latencyModel.name, table: options.out }, null, 2)}\n` : `${profile.text}table written to ${options.out}\n`);
  } finally {
    model.dispose();
  }
}
