import { selectBackend } from '@whittle/engine';
import type { BackendPreference } from '@whittle/kernel';
import { writeReportHtml } from '@whittle/report';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { modelLoadHint, RUN_REPORT_LATENCY } from '../report-html.js';
import { loadRunPlugins } from '../run-plugins.js';

export interface ReportCommandOptions {
  /** Backend the per-layer latency is measured on. Default 'auto' ('cpu' with `--no-latency`). */
  readonly backend?: BackendPreference;
  /** `false` (`--no-latency`): leave the measured per-layer latency out. */
  readonly latency?: boolean;
  /** Timed loops per layer. */
  readonly runs?: number;
  /** Plugin packages (names, or ./paths from the current folder) loaded besides the run's pipeline plugins. */
  readonly plugin?: readonly string[];
  readonly json?: boolean;
}

/**
 * `whittle report <run-folder>`: (re)writes report.html beside the run's report.json, measuring the
 * per-layer latency of the initial and final models on the selected backend unless `--no-latency`.
 * The run's pipeline plugins (and `--plugin` packages) are loaded first, so that models with their
 * custom layers load.
 */
export async function reportCommand(runFolder: string, options: ReportCommandOptions, io: CliIo): Promise<void> {
  const outDir = resolve(runFolder);
  const { notLoaded, layerOperations } = await loadRunPlugins(outDir, options.plugin ?? []);
  const measure = options.latency !== false;
  // Reading the models needs a backend even without measuring (the cpu one then: no GPU probe).
  const backend = await selectBackend(options.backend ?? (measure ? 'auto' : 'cpu'));
  if (measure) io.logger.info(backend.summary);
  const written = await writeReportHtml(outDir, {
    ...(notLoaded === undefined ? {} : { modelLoadHint: modelLoadHint(notLoaded) }),
    layerOperations,
    logger: io.logger,
    measureLatency: measure ? { ...RUN_REPORT_LATENCY, ...(options.runs === undefined ? {} : { runs: options.runs }) } : false,
  });
  io.stdout(options.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.file}: ${written.charts.length} charts (${written.charts.join(', ')})\n`);
}
