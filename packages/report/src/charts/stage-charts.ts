import type { ModelSummary, RunReport } from '@whittle/kernel';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartInput } from './render-chart.js';

/** Metrics where lower is better (the rest: higher is better), for the Pareto view. */
export const LOWER_IS_BETTER = /^(l1|l2|mse|mae|loss|lpips|fid|error)/i;

interface StagePoint {
  readonly stage: string;
  readonly order: number;
  readonly summary: ModelSummary;
}

function stagePoints(report: RunReport): StagePoint[] {
  const points: StagePoint[] = report.initial === undefined ? [] : [{ stage: 'initial', order: -1, summary: report.initial }];
  for (const s of report.stages) if (s.model !== undefined) points.push({ stage: `${s.index}: ${s.label}`, order: s.index, summary: s.model });
  return points;
}

/** The points where latency was measured anew: a stage that left the model as it was repeats the figures before it. */
function measuredPoints(points: readonly StagePoint[]): StagePoint[] {
  return points.filter((p, i) => p.summary.latencyMs !== undefined && (i === 0 || points[i - 1]!.summary !== p.summary && JSON.stringify(points[i - 1]!.summary) !== JSON.stringify(p.summary)));
}

/** The points not dominated by another (lower-or-equal latency and better-or-equal metric, one strictly). */
export function paretoFront<T extends { readonly latencyMs: number; readonly metric: number }>(points: readonly T[], lowerIsBetter: boolean): T[] {
  const better = (a: number, b: number): boolean => (lowerIsBetter ? a < b : a > b);
  const front = points.filter((p) => !points.some((q) => q !== p && q.latencyMs <= p.latencyMs && !better(p.metric, q.metric) && (q.latencyMs < p.latencyMs || better(q.metric, p.metric))));
  return front.sort((a, b) => a.latencyMs - b.latencyMs);
}

/** MACs after each stage, and each metric after each stage: what every stage cost and bought. */
export function stageCharts(report: RunReport): ChartInput[] {
  const points = stagePoints(report);
  if (points.length === 0) return [];
  const charts: ChartInput[] = [];
  const order = points.map((p) => p.stage);
  const macs: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'MACs after each stage',
    width: { step: 28 } as never,
    height: 180,
    data: { values: points.map((p) => ({ stage: p.stage, macs: p.summary.macs })) },
    mark: { type: 'bar', color: '#08519c' },
    encoding: {
      x: { field: 'stage', type: 'nominal', sort: order, title: 'stage', axis: { labelAngle: -35 } },
      y: { field: 'macs', type: 'quantitative', title: 'MACs per example' },
    },
  };
  const first = points[0]!.summary.macs;
  const last = points.at(-1)!.summary.macs;
  charts.push({ id: 'stage-macs', title: 'MACs after each stage', alt: `Multiply-accumulates per example after each stage: ${first.toLocaleString('en')} at ${points[0]!.stage}, ${last.toLocaleString('en')} at ${points.at(-1)!.stage}.`, marks: points.length, spec: macs });

  const metricRows = points.flatMap((p) => Object.entries(p.summary.metrics).map(([metric, value]) => ({ stage: p.stage, metric, value })));
  if (metricRows.length > 0) {
    const names = [...new Set(metricRows.map((r) => r.metric))];
    const single = names.length === 1;
    const x = { field: 'stage', type: 'nominal', sort: order, title: 'stage', axis: { labelAngle: -35 } } as const;
    // One metric: a line. Several: a row per metric with its own scale (accuracy and PSNR do not share an axis).
    const spec = (single ? {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Metrics after each stage',
      width: { step: 28 },
      height: 180,
      data: { values: metricRows },
      mark: { type: 'line', point: true },
      encoding: { x, y: { field: 'value', type: 'quantitative', title: names[0], scale: { zero: false } } },
    } : {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Metrics after each stage',
      data: { values: metricRows },
      facet: { row: { field: 'metric', type: 'nominal', sort: names, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 12 } } },
      spec: {
        width: { step: 28 },
        height: 110,
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } }, color: { field: 'metric', type: 'nominal', title: null, sort: names, legend: null } },
      },
      resolve: { scale: { y: 'independent' } },
    }) as unknown as TopLevelSpec;
    const alt = names.map((n) => {
      const rows = metricRows.filter((r) => r.metric === n);
      return `${n} ${rows[0]!.value.toPrecision(4)} at ${rows[0]!.stage}, ${rows.at(-1)!.value.toPrecision(4)} at ${rows.at(-1)!.stage}`;
    }).join('; ');
    charts.push({ id: 'stage-metrics', title: 'Metrics after each stage', alt: `The evaluation metrics after each stage: ${alt}.`, marks: names.length + metricRows.length, spec });
  }

  const metric = Object.keys(points.find((p) => Object.keys(p.summary.metrics).length > 0)?.summary.metrics ?? {})[0];
  const measured = metric === undefined ? [] : measuredPoints(points).flatMap((p) => {
    const value = p.summary.metrics[metric];
    return p.summary.latencyMs === undefined || value === undefined ? [] : [{ stage: p.stage, latencyMs: p.summary.latencyMs, metric: value }];
  });
  if (metric !== undefined && measured.length > 0) {
    const lower = LOWER_IS_BETTER.test(metric);
    const front = paretoFront(measured, lower);
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `Latency and ${metric} of the measured stages`,
      width: 420,
      height: 220,
      layer: [
        ...(measured.length > 1 ? [{ data: { values: front.map((p) => ({ ...p })) }, mark: { type: 'line', color: '#fd8d3c', strokeDash: [4, 3] }, encoding: { x: { field: 'latencyMs', type: 'quantitative' }, y: { field: 'metric', type: 'quantitative' }, order: { field: 'latencyMs' } } }] : []),
        { data: { values: measured.map((p) => ({ ...p })) }, mark: { type: 'point', filled: true, size: 70, color: '#08519c' },
          encoding: { x: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms, median, as the stage measured it)', scale: { zero: false }, axis: { format: '.4~g' } }, y: { field: 'metric', type: 'quantitative', title: metric, scale: { zero: false }, axis: { format: '.4~g' } } } },
        { data: { values: measured.map((p) => ({ ...p })) }, mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 },
          encoding: { x: { field: 'latencyMs', type: 'quantitative' }, y: { field: 'metric', type: 'quantitative' }, text: { field: 'stage' } } },
      ],
    } as unknown as TopLevelSpec;
    const frontText = measured.length > 1 ? ` The dashed line joins the Pareto front (${lower ? 'lower' : 'higher'} ${metric} is better): ${front.map((p) => p.stage).join(', ')}.` : '';
    charts.push({
      id: 'stage-pareto',
      title: `Latency and ${metric} of the measured stages`,
      alt: `Each stage that measured latency, as latency against ${metric}: ${measured.map((p) => `${p.stage} ${p.latencyMs.toFixed(2)} ms, ${p.metric.toPrecision(4)}`).join('; ')}.${frontText}`,
      // Points and labels, plus the front's line.
      marks: 2 * measured.length + (measured.length > 1 ? 1 : 0),
      spec,
    });
  }
  return charts;
}
