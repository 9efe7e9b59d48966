import { comparisonCharts, comparisonMetric } from './charts/comparison-charts.js';
import { renderChart } from './charts/render-chart.js';
import { escapeHtml as e } from './escape-html.js';
import { htmlPage } from './html-page.js';
import type { RunPoint } from './run-point.js';

const int = (n: number): string => n.toLocaleString('en');
const fmt = (metric: string, v: number): string => (metric === 'accuracy' ? `${(100 * v).toFixed(2)} %` : v.toPrecision(4));

/**
 * compare.html: several runs side by side — a table of each run's final model (params, MACs, its
 * metrics, the last latency it measured) and the cross-run Pareto charts. Self-contained like
 * report.html (inline SVG and CSS, no script, no network).
 *
 * ```ts
 * const html = await renderComparisonHtml(await readRunPoints(['runs/a', 'runs/b']));
 * ```
 */
export async function renderComparisonHtml(points: readonly RunPoint[]): Promise<string> {
  const metrics = [...new Set(points.flatMap((p) => Object.keys(p.final.metrics)))];
  const head = ['run', 'status', 'params', 'MACs', ...metrics, 'latency ms (stage)'].map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const rows = points.map((p) => `<tr><th scope="row" title="${e(p.dir)}">${e(p.run)}</th><td>${e(p.status)}</td><td>${int(p.final.params)}</td><td>${int(p.final.macs)}</td>${metrics.map((m) => `<td>${p.final.metrics[m] === undefined ? '' : fmt(m, p.final.metrics[m]!)}</td>`).join('')}<td>${p.measured === undefined ? '' : `${p.measured.summary.latencyMs!.toFixed(2)} <span class="note">(${e(p.measured.stage)}, ${e(p.backend)})</span>`}</td></tr>`).join('');
  const table = `<section aria-labelledby="runs"><h2 id="runs">Runs</h2><table class="runs"><caption>The final model of each run; latency is the last one each run measured, in its own run (machine load may differ between runs).</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></section>`;
  const charts = comparisonCharts(points);
  const metric = comparisonMetric(points);
  const chartSection = charts.length > 0
    ? `<section aria-labelledby="pareto"><h2 id="pareto">What each run cost and bought</h2>${(await Promise.all(charts.map(renderChart))).join('')}</section>`
    : `<section aria-labelledby="pareto"><h2 id="pareto">What each run cost and bought</h2><p class="note">No chart: ${metric === undefined ? 'the runs share no metric' : 'nothing to draw'}.</p></section>`;
  return htmlPage(
    `Whittle runs compared: ${e(points.map((p) => p.run).join(', '))}`,
    `<h1>Whittle runs compared</h1><p class="meta">${points.length} runs: ${points.map((p) => e(p.dir)).join(' · ')}</p>`,
    [table, chartSection],
  );
}
