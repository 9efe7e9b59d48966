import type { TopLevelSpec } from 'vega-lite';
import type { SeriesItem } from '../report-item.js';
import type { ChartInput } from './render-chart.js';

interface Point {
  readonly x: number;
  readonly series: string;
  readonly value: number;
}

function lineChart(id: string, title: string, alt: string, xTitle: string, yTitle: string, points: readonly Point[]): ChartInput {
  const series = [...new Set(points.map((p) => p.series))];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 180,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: series },
    },
  };
  // One line per series and one point per value.
  return { id, title, alt, marks: series.length + points.length, spec };
}

const isLoss = (column: string): boolean => /loss/i.test(column);

function describe(points: readonly Point[]): string {
  const bySeries = new Map<string, Point[]>();
  for (const p of points) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p]);
  return [...bySeries].map(([name, ps]) => `${name} from ${ps[0]!.value.toPrecision(4)} to ${ps.at(-1)!.value.toPrecision(4)} over ${ps.length} points`).join('; ');
}

/**
 * A `series` item as charts: its loss columns in one, its other numeric columns in another (their
 * scales differ), each a line per column against `x`. Null values are gaps.
 */
export function seriesCharts(item: SeriesItem, stageLabel: string): ChartInput[] {
  const columns = [...new Set(item.rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== item.x);
  const charts: ChartInput[] = [];
  const parts = [['loss', isLoss], ['metrics', (c: string) => !isLoss(c)]] as const;
  // Name the part only when the item has both (a loss-only item is titled as it is).
  const both = parts.every(([, pick]) => columns.some(pick));
  for (const [part, pick] of parts) {
    const points: Point[] = [];
    for (const row of item.rows) {
      const x = row[item.x];
      if (typeof x !== 'number') continue;
      for (const c of columns.filter(pick)) {
        const v = row[c];
        if (typeof v === 'number' && Number.isFinite(v)) points.push({ x, series: c, value: v });
      }
    }
    if (points.length === 0) continue;
    const title = both ? `${item.title}: ${part} (${stageLabel})` : `${item.title} (${stageLabel})`;
    charts.push(lineChart(`series-${part}`, title, `${item.description ?? item.title}, ${stageLabel}: ${describe(points)}.`, item.x, part === 'loss' ? 'loss' : 'value', points));
  }
  return charts;
}
