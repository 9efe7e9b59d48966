import type { LayerRow } from '../layer-rows.js';
import { groupedBars, type Bar } from './grouped-bars.js';
import type { ChartInput } from './render-chart.js';

/** The model before and after, layer by layer, as the report compares them. */
export interface LayerComparison {
  /** What "before" and "after" are, e.g. "initial model" and "final model". */
  readonly beforeLabel: string;
  readonly afterLabel: string;
  readonly before: readonly LayerRow[];
  readonly after: readonly LayerRow[];
  /** Measured latency per layer (ms), when it was measured. */
  readonly latency?: {
    readonly backend: string;
    readonly batchSize: number;
    readonly runs: number;
    /** Interleaved rounds over both models' layers (median over rounds). */
    readonly rounds?: number;
    readonly before: ReadonlyMap<string, number>;
    readonly after: ReadonlyMap<string, number>;
  };
}

function barsOf(rows: readonly LayerRow[], model: string, value: (row: LayerRow) => number | undefined): Bar[] {
  const bars: Bar[] = [];
  for (const row of rows) {
    const v = value(row);
    if (v !== undefined) bars.push({ layer: row.layer, model, value: v });
  }
  return bars;
}

/** "12 of 24 layers": a few words on how much changed, for the alt text. */
function change(before: number, after: number): string {
  return before === 0 ? 'no change' : `${((100 * after) / before).toFixed(0)} % of before`;
}

const sum = (bars: readonly Bar[]): number => bars.reduce((s, b) => s + b.value, 0);

/**
 * The per-layer charts: channels kept, MACs, and measured latency, each before vs after. A layer
 * that exists on only one side (removed, or added) has one bar. Charts without data are left out.
 */
export function layerCharts(c: LayerComparison): ChartInput[] {
  const charts: ChartInput[] = [];
  const domain = [c.beforeLabel, c.afterLabel];
  const channels = [...barsOf(c.before, c.beforeLabel, (r) => r.channels), ...barsOf(c.after, c.afterLabel, (r) => r.channels)];
  if (channels.length > 0) {
    const b = sum(channels.filter((x) => x.model === c.beforeLabel));
    const a = sum(channels.filter((x) => x.model === c.afterLabel));
    charts.push(groupedBars('channels', 'Channels kept per layer', `Output channels of each weighted layer, ${c.beforeLabel} vs ${c.afterLabel}: ${b} → ${a} in all (${change(b, a)}).`, 'output channels', channels, domain));
  }
  const macs = [...barsOf(c.before, c.beforeLabel, (r) => (r.macs > 0 ? r.macs : undefined)), ...barsOf(c.after, c.afterLabel, (r) => (r.macs > 0 ? r.macs : undefined))];
  if (macs.length > 0) {
    const b = sum(macs.filter((x) => x.model === c.beforeLabel));
    const a = sum(macs.filter((x) => x.model === c.afterLabel));
    charts.push(groupedBars('macs', 'MACs per layer', `Multiply-accumulates per example of each layer, ${c.beforeLabel} vs ${c.afterLabel}: ${b.toLocaleString('en')} → ${a.toLocaleString('en')} (${change(b, a)}).`, 'MACs per example', macs, domain));
  }
  if (c.latency !== undefined) {
    const l = c.latency;
    const bars = [...barsOf(c.before, c.beforeLabel, (r) => l.before.get(r.layer)), ...barsOf(c.after, c.afterLabel, (r) => l.after.get(r.layer))];
    if (bars.length > 0) {
      const b = sum(bars.filter((x) => x.model === c.beforeLabel));
      const a = sum(bars.filter((x) => x.model === c.afterLabel));
      charts.push(groupedBars('layer-latency', `Measured latency per layer (${l.backend}, batch ${l.batchSize})`,
        `Median time of each layer alone on ${l.backend} at batch ${l.batchSize} (${l.runs} timed loops${l.rounds === undefined ? '' : ` in each of ${l.rounds} rounds taken in turn by both models`}), ${c.beforeLabel} vs ${c.afterLabel}: ${b.toFixed(3)} ms → ${a.toFixed(3)} ms summed (${change(b, a)}).`,
        'ms per layer (median)', bars, domain));
    }
  }
  return charts;
}
