import { writeReportHtml, type WriteReportHtmlOptions } from '@whittle/report';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from './cli-io.js';
import { loadRunPlugins } from './run-plugins.js';

/** Per-layer latency for the report after a run: a quick measurement (each layer alone, median of 5 loops, median of 3 rounds taken in turn by both models). */
export const RUN_REPORT_LATENCY = { batchSize: 1, warmup: 2, runs: 5, rounds: 3 } as const;

/**
 * The folder `runPipeline` writes to when no --out is given (`runs/<pipeline name>`), or undefined when
 * the pipeline file cannot be read as JSON with a name (the run then fails with the kernel's own error).
 */
export function defaultOutDir(pipelineFile: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(pipelineFile, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? resolve(join('runs', name)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads the run's pipeline plugins and the `extra` (`--plugin`) ones (`loadRunPlugins`) and returns what
 * `writeReportHtml` needs of them: their layer operations, and what to say after a model it cannot read
 * when the run's plugins did not load.
 */
export async function runPluginReportOptions(outDir: string, extra: readonly string[] = []): Promise<Pick<WriteReportHtmlOptions, 'layerOperations' | 'modelLoadHint'>> {
  const { notLoaded, layerOperations } = await loadRunPlugins(outDir, extra);
  if (notLoaded === undefined) return { layerOperations };
  return { layerOperations, modelLoadHint: `${notLoaded}; a model with a plugin's custom layers needs that plugin: name it with whittle report --plugin <package or ./path>` };
}

/**
 * Writes report.html beside a run's report.json and says where, after loading the run's pipeline
 * plugins (`loadRunPlugins`) so that models with their custom layers load; a report that cannot be
 * written is a warning, never a failed run.
 */
export async function writeRunReportHtml(outDir: string, io: CliIo, options: WriteReportHtmlOptions = { measureLatency: RUN_REPORT_LATENCY }): Promise<void> {
  try {
    const { file, charts } = await writeReportHtml(outDir, { ...(await runPluginReportOptions(outDir)), ...options, logger: io.logger });
    io.logger.info(`report: ${file} (${charts.length} charts)`);
  } catch (error) {
    io.logger.warn(`report.html not written: ${(error as Error).message.split('\n')[0]}`);
  }
}
