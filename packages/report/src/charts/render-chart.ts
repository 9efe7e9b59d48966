import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from '../escape-html.js';

/** A chart to draw: a Vega-Lite spec, what it shows in words, and how many data marks it has. */
export interface ChartInput {
  /** A short id for the page (`data-chart`), e.g. "channels". */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, for people who cannot see it (the SVG's accessible name). */
  readonly alt: string;
  /** The number of data marks (bars, points, line segments' lines) the chart draws, for checks. */
  readonly marks: number;
  readonly spec: TopLevelSpec;
}

const CONFIG = {
  font: 'system-ui, sans-serif',
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'top', labelLimit: 320 },
  title: { fontSize: 14, anchor: 'start' },
  view: { stroke: null },
} as const;

let counter = 0;

/**
 * Renders a Vega-Lite spec to an SVG string in Node (no browser, no canvas) and wraps it in a
 * `<figure>`: the SVG gets `role="img"`, a `<title>` and a `<desc>` with the alt text, so a screen
 * reader reads what the chart shows; the figure's caption repeats the title for print.
 *
 * ```ts
 * const html = await renderChart({ id: 'macs', title: 'MACs per layer', alt: '…', marks: 8, spec });
 * ```
 */
export async function renderChart(chart: ChartInput): Promise<string> {
  const spec = { ...chart.spec, config: { ...CONFIG, ...(chart.spec.config ?? {}) }, description: chart.alt } as TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const id = `chart-${++counter}-${chart.id}`;
  const accessible = svg.replace(/^<svg\b([^>]*)>/, (_open, attrs: string) =>
    `<svg${attrs} role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${escapeHtml(chart.title)}</title><desc id="${id}-desc">${escapeHtml(chart.alt)}</desc>`);
  return `<figure class="chart" data-chart="${escapeHtml(chart.id)}" data-marks="${chart.marks}">${accessible}<figcaption>${escapeHtml(chart.title)}</figcaption></figure>`;
}
