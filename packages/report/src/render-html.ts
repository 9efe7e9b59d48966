import type { ModelSummary, RunReport, StageRecord } from '@whittle/kernel';
import { barsCharts } from './charts/bars-charts.js';
import { layerCharts } from './charts/layer-charts.js';
import { renderChart } from './charts/render-chart.js';
import { seriesCharts } from './charts/series-charts.js';
import { stageCharts } from './charts/stage-charts.js';
import { escapeHtml as e } from './escape-html.js';
import type { ReportData } from './report-data.js';
import { htmlPage } from './html-page.js';
import type { StageItem } from './stage-items.js';

const int = (n: number): string => n.toLocaleString('en');
const fmt = (metric: string, v: number): string => (metric === 'accuracy' ? `${(100 * v).toFixed(2)} %` : v.toPrecision(4));

function ratio(before: number, after: number): string {
  if (before === 0) return '';
  if (before === after) return ' <span class="ratio">(same)</span>';
  return ` <span class="ratio">(${before / after >= 1 ? `${(before / after).toFixed(2)}× fewer` : `${(after / before).toFixed(2)}× more`})</span>`;
}

function lastMeasured(report: RunReport, first: boolean): StageRecord | undefined {
  const measured = report.stages.filter((s) => s.model?.latencyMs !== undefined);
  return first ? measured[0] : measured.at(-1);
}

/** The key figures: params, MACs, metrics before → after, and the first vs last latency measured. */
function glance(report: RunReport): string {
  const before: ModelSummary | undefined = report.initial;
  const after = [...report.stages].reverse().find((s) => s.model !== undefined)?.model;
  if (before === undefined || after === undefined) return '';
  const rows = [
    `<tr><th scope="row">params</th><td>${int(before.params)}</td><td>${int(after.params)}${ratio(before.params, after.params)}</td></tr>`,
    `<tr><th scope="row">MACs per example</th><td>${int(before.macs)}</td><td>${int(after.macs)}${ratio(before.macs, after.macs)}</td></tr>`,
    ...Object.keys(after.metrics).map((m) => `<tr><th scope="row">${e(m)}</th><td>${before.metrics[m] === undefined ? '–' : fmt(m, before.metrics[m]!)}</td><td>${fmt(m, after.metrics[m]!)}</td></tr>`),
  ];
  const a = lastMeasured(report, true);
  const b = lastMeasured(report, false);
  if (a !== undefined && b !== undefined && a !== b) {
    rows.push(`<tr><th scope="row">latency (ms)</th><td>${a.model!.latencyMs!.toFixed(2)} <span class="note">(${e(a.label)})</span></td><td>${b.model!.latencyMs!.toFixed(2)} <span class="note">(${e(b.label)})</span>${ratio(a.model!.latencyMs!, b.model!.latencyMs!).replace('fewer', 'faster').replace('more', 'slower')}</td></tr>`);
  }
  return `<section aria-labelledby="glance"><h2 id="glance">At a glance</h2><table class="glance"><thead><tr><th scope="col"></th><th scope="col">initial model</th><th scope="col">after the last stage</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function stageTable(report: RunReport): string {
  const metricNames = [...new Set([report.initial, ...report.stages.map((s) => s.model)].flatMap((m) => Object.keys(m?.metrics ?? {})))];
  const head = ['stage', 'status', 'params', 'MACs', ...metricNames, 'latency ms', 'time s'].map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const row = (name: string, status: string, m: ModelSummary | undefined, seconds: string): string =>
    `<tr><th scope="row">${e(name)}</th><td>${e(status)}</td><td>${m === undefined ? '' : int(m.params)}</td><td>${m === undefined ? '' : int(m.macs)}</td>${metricNames.map((n) => `<td>${m?.metrics[n] === undefined ? '' : fmt(n, m.metrics[n]!)}</td>`).join('')}<td>${m?.latencyMs === undefined ? '' : m.latencyMs.toFixed(2)}</td><td>${seconds}</td></tr>`;
  const rows = [
    ...(report.initial === undefined ? [] : [row('initial', '', report.initial, '')]),
    ...report.stages.map((s) => row(`${s.index}: ${s.label}`, s.status, s.model, (s.durationMs / 1000).toFixed(1))),
  ];
  const failed = report.stages.filter((s) => s.error !== undefined).map((s) => `<p class="error">stage ${s.index} (${e(s.label)}) failed: ${e(s.error!)}</p>`).join('');
  return `<section aria-labelledby="stages"><h2 id="stages">Stages</h2><table class="stages"><caption>The model after each stage (a stage that does not change the model repeats the figures before it).</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>${failed}</section>`;
}

async function itemHtml(item: StageItem, stageLabel: string): Promise<string> {
  switch (item.kind) {
    case 'series':
      return (await Promise.all(seriesCharts(item, stageLabel).map(renderChart))).join('');
    case 'bars':
      return (await Promise.all(barsCharts(item, stageLabel).map(renderChart))).join('');
    case 'image':
      return `<figure class="image"><img src="${item.dataUri}" alt="${e(item.alt)}"><figcaption>${e(item.title)}${item.caption === undefined ? '' : ` — ${e(item.caption)}`}</figcaption></figure>`;
    case 'table': {
      const head = item.columns.map((c) => `<th scope="col">${e(c)}</th>`).join('');
      const body = item.rows.map((r) => `<tr>${r.map((v) => `<td>${v === null ? '' : e(typeof v === 'number' ? (Number.isInteger(v) ? int(v) : v.toPrecision(4)) : String(v))}</td>`).join('')}</tr>`).join('');
      return `<table class="item"><caption>${e(item.title)}${item.caption === undefined ? '' : ` — ${e(item.caption)}`}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
    }
  }
}

/**
 * report.html for a run: one self-contained page (inline SVG charts, inline CSS, images as data
 * URIs; no script, no network). Sections without data are left out.
 */
export async function renderReportHtml(data: ReportData): Promise<string> {
  const { report } = data;
  const name = data.outDir.split(/[\\/]/).filter((p) => p !== '').at(-1) ?? data.outDir;
  const sections: string[] = [glance(report), stageTable(report)];

  if (data.layers !== undefined) {
    const charts = layerCharts(data.layers);
    if (charts.length > 0) {
      sections.push(`<section aria-labelledby="layers"><h2 id="layers">Per layer: ${e(data.layers.beforeLabel)} vs ${e(data.layers.afterLabel)}</h2>${(await Promise.all(charts.map(renderChart))).join('')}</section>`);
    }
  }
  const progress = stageCharts(report);
  if (progress.length > 0) {
    sections.push(`<section aria-labelledby="trade-offs"><h2 id="trade-offs">What each stage cost and bought</h2>${(await Promise.all(progress.map(renderChart))).join('')}</section>`);
  }
  for (const stage of report.stages) {
    const items = data.stageItems.get(stage.index);
    if (items === undefined || items.length === 0) continue;
    const label = `${stage.index}: ${stage.label}`;
    const id = `stage-${stage.index}`;
    const parts = await Promise.all(items.map((item) => itemHtml(item, label)));
    sections.push(`<section aria-labelledby="${id}"><h2 id="${id}">Stage ${e(label)}</h2>${parts.join('')}</section>`);
  }
  if (data.problems.length > 0) {
    sections.push(`<section aria-labelledby="notes"><h2 id="notes">Notes</h2><ul>${data.problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul></section>`);
  }
  const meta = `${e(report.status)} · backend ${e(report.backend)} · seed ${report.seed} · started ${e(report.startedAt)} · whittle ${e(report.whittle)}`;
  return htmlPage(
    `Whittle run: ${e(name)}`,
    `<h1>Whittle run: ${e(name)}</h1><p class="meta">${meta}</p><p class="meta">pipeline ${e(report.pipeline)} · folder ${e(data.outDir)}</p>`,
    sections,
  );
}
