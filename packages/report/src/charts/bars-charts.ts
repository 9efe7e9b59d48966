import type { BarsItem } from '../report-item.js';
import { groupedBars, type Bar } from './grouped-bars.js';
import type { ChartInput } from './render-chart.js';

/**
 * A `bars` item as one chart: a row per category (its rows' order), a bar per numeric column.
 * Null, missing and non-finite values draw no bar; a row without a category is skipped. No bars, no chart.
 */
export function barsCharts(item: BarsItem, stageLabel: string): ChartInput[] {
  const columns = [...new Set(item.rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== item.category && item.rows.some((r) => typeof r[c] === 'number'));
  const bars: Bar[] = [];
  for (const row of item.rows) {
    const category = row[item.category];
    if (category === undefined || category === null) continue;
    for (const c of columns) {
      const v = row[c];
      if (typeof v === 'number' && Number.isFinite(v)) bars.push({ layer: String(category), model: c, value: v });
    }
  }
  if (bars.length === 0) return [];
  const totals = columns.map((c) => `${c} ${bars.filter((b) => b.model === c).reduce((s, b) => s + b.value, 0).toPrecision(4)}`).join(', ');
  const categories = new Set(bars.map((b) => b.layer)).size;
  const title = `${item.title} (${stageLabel})`;
  const alt = `${item.description ?? item.title}, ${stageLabel}: ${categories} ${item.category === 'layer' ? 'layers' : `rows of ${item.category}`}; summed ${item.axis}: ${totals}.`;
  return [groupedBars('bars', title, alt, item.axis, bars, columns, item.category)];
}
