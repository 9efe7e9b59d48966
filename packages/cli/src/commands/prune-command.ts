import { tfjsEngine } from '@whittle/engine';
import type { BackendPreference } from '@whittle/kernel';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { CLI_PACKAGE_DIR } from '../cli-registry.js';
import { DEFAULT_MANIFESTS } from '../default-manifests.js';
import { formatReportTable } from '../format-report.js';
import { runInterruptible } from './run-command.js';

/** The one-stage pruning methods `whittle prune` offers: a score stage and a prune stage each. */
export const PRUNE_METHODS = {
  'l1-uniform': { score: 'l1-norm', prune: 'uniform' },
  'global-magnitude': { score: 'l1-norm', prune: 'global' },
  random: { score: 'random', prune: 'uniform' },
} as const;

export type PruneMethod = keyof typeof PRUNE_METHODS;

export interface PruneCommandOptions {
  readonly method: PruneMethod;
  readonly ratio: number;
  readonly out?: string;
  readonly force?: boolean;
  readonly backend?: BackendPreference;
  readonly seed?: number;
  readonly json?: boolean;
}

/**
 * `whittle prune <model.json> --method l1-uniform --ratio 0.3 --out DIR`: the common case as a
 * two-stage pipeline (score, prune) run in memory; the pruned model lands in `DIR/model/`.
 */
export async function pruneCommand(modelJson: string, options: PruneCommandOptions, io: CliIo): Promise<void> {
  const method = PRUNE_METHODS[options.method];
  const config = {
    name: 'prune',
    seed: options.seed ?? 0,
    backend: options.backend ?? 'auto',
    plugins: ['@whittle/plugin-baselines'],
    model: { path: resolve(modelJson) },
    stages: [
      { hook: 'score', plugin: method.score },
      { hook: 'prune', plugin: method.prune, options: { ratio: options.ratio } },
    ],
  };
  // Plugins resolve from the CLI's own package, where @whittle/plugin-baselines is a dependency.
  const configDir = CLI_PACKAGE_DIR;
  const outDir = options.out ?? 'runs/prune';
  // An interrupted prune has no --resume: it is started again.
  const report = await runInterruptible({ config, configDir, label: `whittle prune ${modelJson}` }, { engine: tfjsEngine(), logger: io.logger, outDir, defaultManifests: DEFAULT_MANIFESTS, ...(options.force === undefined ? {} : { force: options.force }) }, io, undefined);
  io.stdout(options.json === true ? JSON.stringify(report, null, 2) : formatReportTable(report));
}
