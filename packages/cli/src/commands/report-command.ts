import { selectBackend } from '@whittle/engine';
import { inputError, type BackendPreference } from '@whittle/kernel';
import { writeComparisonHtml, writeReportHtml } from '@whittle/report';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { RUN_REPORT_LATENCY, runPluginReportOptions } from '../report-html.js';

export interface ReportCommandOptions {
  /** Backend the per-layer latency is measured on. Default 'auto' ('cpu' with `--no-latency`). */
  readonly backend?: BackendPreference;
  /** `false` (`--no-latency`): leave the measured per-layer latency out. */
  readonly latency?: boolean;
  /** Timed loops per layer. */
  readonly runs?: number;
  /** Plugin packages (names, or ./paths from the current folder) loaded besides the run's pipeline plugins. */
  readonly plugin?: readonly string[];
  /** With several run folders: the comparison page to write. */
  readonly out?: string;
  readonly json?: boolean;
}

/**
 * `whittle report <run-folder>`: (re)writes report.html beside the run's report.json, measuring the
 * per-layer latency of the initial and final models on the selected backend unless `--no-latency`.
 * The run's pipeline plugins (and `--plugin` packages) are loaded first, so that models with their
 * custom layers load.
 */
export async function reportCommand(runFolders: readonly string[], options: ReportCommandOptions, io: CliIo): Promise<void> {
  if (runFolders.length > 1 || options.out !== undefined) {
    await compareCommand(runFolders, options, io);
    return;
  }
  const outDir = resolve(runFolders[0]!);
  const pluginOptions = await runPluginReportOptions(outDir, options.plugin ?? []);
  const measure = options.latency !== false;
  // Reading the models needs a backend even without measuring (the cpu one then: no GPU probe).
  const backend = await selectBackend(options.backend ?? (measure ? 'auto' : 'cpu'));
  if (measure) io.logger.info(backend.summary);
  const written = await writeReportHtml(outDir, {
    ...pluginOptions,
    logger: io.logger,
    measureLatency: measure ? { ...RUN_REPORT_LATENCY, ...(options.runs === undefined ? {} : { runs: options.runs }) } : false,
  });
  io.stdout(options.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.file}: ${written.charts.length} charts (${written.charts.join(', ')})\n`);
}

/**
 * `whittle report runA runB … --out compare.html`: one page comparing the runs from their report.json
 * (nothing is measured or loaded): the final models in a table, and Pareto charts with a point per run.
 */
async function compareCommand(runFolders: readonly string[], options: ReportCommandOptions, io: CliIo): Promise<void> {
  if (options.out === undefined) throw inputError('COMPARE_NO_OUT', `${runFolders.length} run folders: comparing them writes one page, but no --out was given`, 'Add --out compare.html (or give one folder to rewrite its report.html).');
  const written = await writeComparisonHtml(runFolders, options.out);
  io.stdout(options.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.file}: ${written.runs.length} runs compared, ${written.charts.length} charts (${written.charts.join(', ')})\n`);
}
