import type { TopLevelSpec } from 'vega-lite';
import type { RunPoint } from '../run-point.js';
import type { ChartInput } from './render-chart.js';
import { LOWER_IS_BETTER, paretoFront } from './stage-charts.js';

interface Mark {
  readonly run: string;
  /** The x value: MACs or latency. */
  readonly cost: number;
  readonly metric: number;
}

/** The metric the comparison draws: the first of the first run's final metrics that every run has. */
export function comparisonMetric(points: readonly RunPoint[]): string | undefined {
  return Object.keys(points[0]?.final.metrics ?? {}).find((m) => points.every((p) => p.final.metrics[m] !== undefined));
}

function paretoChart(id: string, title: string, costTitle: string, what: string, marks: readonly Mark[], metric: string, format: (cost: number) => string, axisFormat: string): ChartInput {
  const lower = LOWER_IS_BETTER.test(metric);
  const front = paretoFront(marks.map((m) => ({ ...m, latencyMs: m.cost })), lower);
  const x = { field: 'cost', type: 'quantitative' } as const;
  const y = { field: 'metric', type: 'quantitative' } as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 460,
    height: 260,
    layer: [
      ...(marks.length > 1 ? [{ data: { values: front.map((p) => ({ run: p.run, cost: p.cost, metric: p.metric })) }, mark: { type: 'line', color: '#fd8d3c', strokeDash: [4, 3] }, encoding: { x, y, order: { field: 'cost' } } }] : []),
      { data: { values: marks.map((m) => ({ ...m })) }, mark: { type: 'point', filled: true, size: 70, color: '#08519c' },
        encoding: { x: { ...x, title: costTitle, scale: { zero: false }, axis: { format: axisFormat } }, y: { ...y, title: metric, scale: { zero: false }, axis: { format: '.4~g' } } } },
      { data: { values: marks.map((m) => ({ ...m })) }, mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 }, encoding: { x, y, text: { field: 'run' } } },
    ],
  } as unknown as TopLevelSpec;
  const frontText = marks.length > 1 ? ` The dashed line joins the Pareto front (lower ${what} and ${lower ? 'lower' : 'higher'} ${metric} are better): ${front.map((p) => p.run).join(', ')}.` : '';
  return {
    id,
    title,
    alt: `Each run as ${what} against ${metric}: ${marks.map((m) => `${m.run} ${format(m.cost)}, ${m.metric.toPrecision(4)}`).join('; ')}.${frontText}`,
    // A point and a label per run, plus the front's line.
    marks: 2 * marks.length + (marks.length > 1 ? 1 : 0),
    spec,
  };
}

/**
 * The cross-run Pareto views: MACs per example against the metric of each run's final model, and,
 * when every run measured latency on one backend, the last measured latency against the metric of
 * the model it measured. One labelled point per run; the dashed line joins the runs no other beats.
 */
export function comparisonCharts(points: readonly RunPoint[]): ChartInput[] {
  const metric = comparisonMetric(points);
  if (metric === undefined) return [];
  const charts = [paretoChart('compare-macs', `MACs and ${metric} of each run's final model`, 'MACs per example', 'MACs',
    points.map((p) => ({ run: p.run, cost: p.final.macs, metric: p.final.metrics[metric]! })), metric, (c) => `${c.toLocaleString('en')} MACs`, '.4~s')];
  const measured = points.flatMap((p) => (p.measured?.summary.metrics[metric] === undefined ? [] : [{ run: p.run, cost: p.measured.summary.latencyMs!, metric: p.measured.summary.metrics[metric] }]));
  if (measured.length === points.length && new Set(points.map((p) => p.backend)).size === 1) {
    charts.push(paretoChart('compare-latency', `Latency and ${metric} of each run's last measured model (${points[0]!.backend}; measured in separate runs)`, 'latency (ms, median, as each run measured it)', 'latency',
      measured, metric, (c) => `${c.toFixed(2)} ms`, '.4~g'));
  }
  return charts;
}
