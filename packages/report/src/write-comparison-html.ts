import { inputError } from '@whittle/kernel';
import { atomicWriteFile } from '@whittle/model-io';
import { resolve } from 'node:path';
import { renderComparisonHtml } from './render-comparison-html.js';
import { readRunPoints } from './run-point.js';

/** What `writeComparisonHtml` wrote. */
export interface WrittenComparison {
  readonly file: string;
  /** The runs, as the page names them, in the order given. */
  readonly runs: readonly string[];
  /** The charts on the page, by `data-chart` id. */
  readonly charts: readonly string[];
}

/**
 * Writes a page comparing several runs (atomically) from each run folder's report.json: a table of
 * the final models and Pareto charts (MACs, and latency where every run measured it, against the
 * metric), one labelled point per run. Every folder is checked before anything is written.
 *
 * ```ts
 * const { file, charts } = await writeComparisonHtml(['runs/uniform-50', 'runs/sp-lamp-50'], 'compare.html');
 * ```
 */
export async function writeComparisonHtml(runDirs: readonly string[], outFile: string): Promise<WrittenComparison> {
  if (runDirs.length < 2) throw inputError('COMPARE_TOO_FEW_RUNS', `a comparison needs at least two run folders, got ${runDirs.length}`, 'Name two or more --out folders of `whittle run`s.');
  if (!outFile.endsWith('.html')) throw inputError('COMPARE_OUT_NOT_HTML', `--out ${outFile}: the comparison is an HTML page`, 'Name a file ending in .html, e.g. --out compare.html.');
  const points = await readRunPoints(runDirs);
  const html = await renderComparisonHtml(points);
  const file = resolve(outFile);
  await atomicWriteFile(file, html);
  return { file, runs: points.map((p) => p.run), charts: [...html.matchAll(/<figure class="chart" data-chart="([^"]+)"/g)].map((m) => m[1]!) };
}
