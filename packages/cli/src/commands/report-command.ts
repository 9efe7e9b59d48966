import { selectBackend } from '@whittle/engine';
import type { BackendPreference } from '@whittle/kernel';
import { writeReportHtml } from '@whittle/report';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { RUN_REPORT_LATENCY } from '../report-html.js';

export interface ReportCommandOptions {
  /** Backend the per-layer latency is measured on. Default 'auto'. */
  readonly backend?: BackendPreference;
  /** `false` (`--no-latency`): leave the measured per-layer latency out. */
  readonly latency?: boolean;
  /** Timed loops per layer. */
  readonly runs?: number;
  readonly json?: boolean;
}

/**
 * `whittle report <run-folder>`: (re)writes report.html beside the run's report.json, measuring the
 * per-layer latency of the initial and final models on the selected backend unless `--no-latency`.
 */
export async function reportCommand(runFolder: string, options: ReportCommandOptions, io: CliIo): Promise<void> {
  const measure = options.latency !== false;
  if (measure) io.logger.info((await selectBackend(options.backend ?? 'auto')).summary);
  const written = await writeReportHtml(resolve(runFolder), {
    logger: io.logger,
    measureLatency: measure ? { ...RUN_REPORT_LATENCY, ...(options.runs === undefined ? {} : { runs: options.runs }) } : false,
  });
  io.stdout(options.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.file}: ${written.charts.length} charts (${written.charts.join(', ')})\n`);
}
