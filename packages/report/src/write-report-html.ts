import type * as tf from '@tensorflow/tfjs';
import type { LayerOperations } from '@whittle/graph';
import { inputError, readRunReport, type Logger, type RunReport } from '@whittle/kernel';
import { atomicWriteFile, loadModel } from '@whittle/model-io';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LayerComparison } from './charts/layer-charts.js';
import { measureLayerLatencies, type LayerLatencyOptions } from './layer-latency.js';
import { layerRows } from './layer-rows.js';
import type { ReportData } from './report-data.js';
import { renderReportHtml } from './render-html.js';
import { stageItems, type StageItem } from './stage-items.js';

/** The page's file name, beside report.json. */
export const REPORT_HTML_FILE = 'report.html';

export interface WriteReportHtmlOptions {
  /**
   * Measure each layer of the models before and after on the active tfjs backend (default true;
   * `false` leaves the latency chart out). Options: batch size, warm-up and timed runs per layer.
   */
  readonly measureLatency?: boolean | LayerLatencyOptions;
  readonly logger?: Logger;
  /**
   * Said after the note when a model of the run cannot be read, e.g. which plugins were not loaded
   * and how to load them (a model with a plugin's custom layers needs the plugin that registers them).
   */
  readonly modelLoadHint?: string;
  /**
   * The layer operations the per-layer MACs and channels are counted with: the built-in ones (the
   * default) plus those of the run's plugins, so that custom layers count as the run counted them.
   */
  readonly layerOperations?: LayerOperations;
}

/** What `writeReportHtml` wrote. */
export interface WrittenReport {
  readonly file: string;
  /** The charts on the page, by `data-chart` id (a chart id can repeat, e.g. one loss chart per training stage). */
  readonly charts: readonly string[];
  readonly problems: readonly string[];
}

/** A model folder of the run, relative to it: the one before the first stage, and the final one. */
async function modelDirs(outDir: string, report: RunReport): Promise<{ before?: { dir: string; label: string }; after?: { dir: string; label: string } }> {
  const completed = report.stages.filter((s) => s.status === 'completed');
  const checkpointDir = async (index: number): Promise<string | undefined> => {
    const stage = completed[index];
    if (stage === undefined) return undefined;
    const folder = stage.artifacts.find((a) => a.endsWith('/checkpoint.json'))?.replace(/\/checkpoint\.json$/, '');
    const file = join(outDir, folder ?? '', 'checkpoint.json');
    if (folder === undefined && !existsSync(file)) return undefined;
    try {
      return (JSON.parse(await readFile(file, 'utf8')) as { modelDir?: string }).modelDir;
    } catch {
      return undefined;
    }
  };
  const before = report.initialModel !== undefined ? { dir: report.initialModel, label: 'initial model' } : undefined;
  const last = report.finalModel ?? (await checkpointDir(completed.length - 1));
  const after = last === undefined ? undefined : { dir: last, label: report.finalModel === undefined ? `after stage ${completed.at(-1)!.index}` : 'final model' };
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/** An error's first line; tfjs follows "Unknown layer: X." with reasons that name Python APIs, left out. */
function firstLine(error: unknown): string {
  return (error as Error).message.split('\n')[0]!.replace(/ This may be due to one of the following reasons:$/, '');
}

async function compareLayers(outDir: string, report: RunReport, options: WriteReportHtmlOptions, problems: string[]): Promise<LayerComparison | undefined> {
  const dirs = await modelDirs(outDir, report);
  if (dirs.before === undefined || dirs.after === undefined) {
    if (report.status === 'completed') problems.push('The per-layer charts are left out: the run has no saved initial model (runs from before kernel 0.2.1 do not save one).');
    return undefined;
  }
  const models: tf.LayersModel[] = [];
  try {
    try {
      models.push(await loadModel(join(outDir, dirs.before.dir, 'model.json')));
      models.push(await loadModel(join(outDir, dirs.after.dir, 'model.json')));
    } catch (error) {
      if (options.modelLoadHint === undefined) throw error;
      throw new Error(`${firstLine(error)} (${options.modelLoadHint})`, { cause: error });
    }
    const [before, after] = models as [tf.LayersModel, tf.LayersModel];
    const comparison = { beforeLabel: dirs.before.label, afterLabel: dirs.after.label, before: layerRows(before, options.layerOperations), after: layerRows(after, options.layerOperations) };
    if (options.measureLatency === false) return comparison;
    const how = options.measureLatency === true || options.measureLatency === undefined ? {} : options.measureLatency;
    options.logger?.info('report: measuring per-layer latency of the initial and final models');
    const [b, a] = await measureLayerLatencies([before, after], how);
    return { ...comparison, latency: { backend: b!.backend, batchSize: b!.batchSize, runs: b!.runs, rounds: b!.rounds, before: b!.byLayer, after: a!.byLayer } };
  } catch (error) {
    problems.push(`The per-layer charts are left out: ${firstLine(error)}`);
    return undefined;
  } finally {
    for (const m of models) m.dispose();
  }
}

/**
 * Reads a run's folder (report.json, the saved models, each stage's report items) and builds the
 * data for report.html. Loading a model with custom layers needs the plugin that registers them
 * loaded first (`whittle report` loads the run's pipeline plugins); otherwise the page says which
 * layer class is unknown, followed by `modelLoadHint`, and leaves the per-layer charts out.
 */
export async function readReportData(outDir: string, options: WriteReportHtmlOptions = {}): Promise<ReportData> {
  const dir = resolve(outDir);
  const { report, problem } = await readRunReport(dir);
  if (report === undefined) {
    throw inputError('REPORT_NOT_A_RUN', `cannot write a report for ${dir}: ${problem!}`, 'Pass the --out folder of a `whittle run`.');
  }
  const problems: string[] = [];
  const layers = await compareLayers(dir, report, options, problems);
  const items = new Map<number, StageItem[]>();
  for (const stage of report.stages) {
    const found = await stageItems(dir, stage);
    problems.push(...found.problems);
    if (found.items.length > 0) items.set(stage.index, found.items);
  }
  return { report, outDir: dir, ...(layers === undefined ? {} : { layers }), stageItems: items, problems };
}

/**
 * Writes `report.html` beside a run's `report.json` (atomically): a self-contained page with the
 * run's charts as inline SVG (rendered here by Vega-Lite, no browser needed).
 *
 * ```ts
 * const { file, charts } = await writeReportHtml('runs/quickstart');
 * ```
 */
export async function writeReportHtml(outDir: string, options: WriteReportHtmlOptions = {}): Promise<WrittenReport> {
  const data = await readReportData(outDir, options);
  const html = await renderReportHtml(data);
  const file = join(data.outDir, REPORT_HTML_FILE);
  await atomicWriteFile(file, html);
  for (const p of data.problems) options.logger?.warn(`report: ${p}`);
  const charts = [...html.matchAll(/<figure class="chart" data-chart="([^"]+)"/g)].map((m) => m[1]!);
  return { file, charts, problems: data.problems };
}
