import { tfjsEngine } from '@whittle/engine';
import { isWhittleError, REPORT_FILE, runPipeline, RUN_INTERRUPTED, type BackendPreference, type RunInterruptedError, type RunPipelineOptions, type RunReport } from '@whittle/kernel';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_MANIFESTS } from '../default-manifests.js';
import { CommandExit } from '../command-exit.js';
import { formatReportTable } from '../format-report.js';
import { INTERRUPT_EXIT, whileInterruptible } from '../interrupt-signals.js';
import { defaultOutDir, writeRunReportHtml } from '../report-html.js';

export interface RunCommandOptions {
  readonly out?: string;
  readonly backend?: BackendPreference;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly seed?: number;
  readonly json?: boolean;
}

/** Quotes an argument for a POSIX shell when it needs it. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a pipeline through `runPipeline` with SIGINT/SIGTERM wired to its abort signal: on either, the
 * report is marked interrupted, `resumeCommand` (when given) is printed, and the command exits 130/143.
 * With `options.outDir`, report.html is written beside report.json after the run (also after a failed stage).
 */
export async function runInterruptible(
  source: Parameters<typeof runPipeline>[0],
  options: RunPipelineOptions,
  io: CliIo,
  resumeCommand: string | undefined,
): Promise<RunReport> {
  try {
    const report = await whileInterruptible((signal) => runPipeline(source, { ...options, signal }));
    if (options.outDir !== undefined) await writeRunReportHtml(options.outDir, io);
    return report;
  } catch (error) {
    // A stage failed: report.json says so, and report.html shows how far the run got.
    if (isWhittleError(error) && error.code === 'PLUGIN_ERROR' && options.outDir !== undefined && existsSync(join(options.outDir, REPORT_FILE))) await writeRunReportHtml(options.outDir, io, { measureLatency: false });
    if (!isWhittleError(error) || error.code !== RUN_INTERRUPTED) throw error;
    // By fields, not instanceof: a plugin's copy of the kernel may have raised it.
    const { by, report } = error as Partial<RunInterruptedError>;
    io.stderr(`${error.message.split('\n')[0]!}\n`);
    if (resumeCommand !== undefined && report !== undefined) io.stderr(`continue with:\n  ${resumeCommand}\n`);
    throw new CommandExit(by === 'SIGTERM' ? INTERRUPT_EXIT.SIGTERM : INTERRUPT_EXIT.SIGINT);
  }
}

export async function runCommand(pipeline: string, options: RunCommandOptions, io: CliIo): Promise<void> {
  const outDir = options.out ?? defaultOutDir(pipeline);
  const resumeArgs = ['whittle', 'run', pipeline, ...(options.out === undefined ? [] : ['--out', options.out]), '--resume'];
  if (options.backend !== undefined) resumeArgs.push('--backend', options.backend);
  if (options.seed !== undefined) resumeArgs.push('--seed', String(options.seed));
  const report = await runInterruptible(
    pipeline,
    {
      engine: tfjsEngine(),
      logger: io.logger,
      defaultManifests: DEFAULT_MANIFESTS,
      ...(outDir === undefined ? {} : { outDir: resolve(outDir) }),
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      ...(options.resume === undefined ? {} : { resume: options.resume }),
      ...(options.force === undefined ? {} : { force: options.force }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    },
    io,
    resumeArgs.map(shellQuote).join(' '),
  );
  io.stdout(options.json === true ? JSON.stringify(report, null, 2) : formatReportTable(report));
}
