import type { TopLevelSpec } from 'vega-lite';
import type { ChartInput } from './render-chart.js';

/** One bar: its category (a row of the chart, e.g. a layer), its series (e.g. "before") and its length. */
export interface Bar {
  readonly layer: string;
  readonly model: string;
  readonly value: number;
}

/** Two blues for a before/after pair; more series get a categorical palette that prints in grey distinctly. */
const PAIR = ['#9ecae1', '#08519c'];
const MANY = ['#08519c', '#fd8d3c', '#31a354', '#756bb1', '#969696', '#e6550d'];

/**
 * Horizontal grouped bars: one row per category (in the order of `bars`), a bar per series side by
 * side, coloured in `series` order. `marks` is the number of bars.
 */
export function groupedBars(id: string, title: string, alt: string, axisTitle: string, bars: readonly Bar[], series: readonly string[], categoryTitle = 'layer'): ChartInput {
  const layers = [...new Set(bars.map((b) => b.layer))];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 520,
    height: { step: Math.max(12, 6 * series.length) } as never,
    data: { values: bars.map((b) => ({ ...b })) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'layer', type: 'nominal', sort: layers, title: categoryTitle },
      yOffset: { field: 'model', sort: [...series] },
      x: { field: 'value', type: 'quantitative', title: axisTitle },
      color: { field: 'model', type: 'nominal', title: null, scale: { domain: [...series], range: series.length === 2 ? PAIR : MANY.slice(0, Math.max(1, series.length)) } },
    },
  };
  return { id, title, alt, marks: bars.length, spec };
}
