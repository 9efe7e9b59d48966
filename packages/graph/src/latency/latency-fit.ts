import type { GroupWidths } from './latency-site.js';

/** One whole model measured to fit the predictor: its summed table latency and its measured latency. */
export interface FitPoint {
  /** The uniform fraction of every group's channels it keeps (1 = the unpruned model). */
  readonly fraction: number;
  /** Σ of the table latencies of its layer calls (ms). */
  readonly tableMs: number;
  /** The whole model measured (ms, the table's clock and statistic). */
  readonly measuredMs: number;
}

/** How the table's sum maps to whole-model latency: measured ≈ scale × Σ table + constantMs. */
export interface LatencyFit {
  readonly scale: number;
  readonly constantMs: number;
}

/**
 * Least-squares fit of measured ≈ scale × Σ table + constant over whole models measured at several
 * widths. Layers timed one at a time run at a slightly different speed than inside the model (the
 * caches hold one layer's data, not the model's; tfjs-layers adds per-layer work), and the model
 * pays a cost outside every layer; a constant alone, taken at full width, carries both errors to
 * every smaller model (on ResNet-20 at batch 8 on wasm it predicted a quarter-width model 37 % low;
 * the fit, 2 %). With fewer than two distinct table sums, or a fitted scale ≤ 0 (measurements too
 * noisy to tell), the scale is 1 and the constant the mean residual.
 *
 * ```ts
 * fitLatency([{ fraction: 1, tableMs: 10, measuredMs: 9.5 }, { fraction: 0.5, tableMs: 4, measuredMs: 4.1 }]);
 * // { scale: 0.9, constantMs: 0.5 }
 * ```
 */
export function fitLatency(points: readonly FitPoint[]): LatencyFit {
  const n = points.length;
  if (n === 0) return { scale: 1, constantMs: 0 };
  const meanX = points.reduce((s, p) => s + p.tableMs, 0) / n;
  const meanY = points.reduce((s, p) => s + p.measuredMs, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.tableMs - meanX) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.tableMs - meanX) * (p.measuredMs - meanY), 0);
  const scale = sxx > 1e-12 * Math.max(1, meanX * meanX) ? sxy / sxx : Number.NaN;
  if (!(scale > 0)) return { scale: 1, constantMs: meanY - meanX };
  return { scale, constantMs: meanY - scale * meanX };
}

/**
 * The widths of a model pruned uniformly to `fraction` of every group: each group's candidate
 * width closest to fraction × channels (ties to the wider). These models span the range a pruner
 * explores, so the fit holds where predictions are used.
 *
 * ```ts
 * uniformWidths([{ id: 'conv1', channels: 64, widths: [8, 16, 24, 32, 40, 48, 56, 64] }], 0.25); // Map { 'conv1' => 16 }
 * ```
 */
export function uniformWidths(groups: readonly { id: string; channels: number; widths: readonly number[] }[], fraction: number): Map<string, number> {
  const widths = new Map<string, number>();
  for (const g of groups) {
    const target = fraction * g.channels;
    let best = g.widths[g.widths.length - 1] as number;
    for (const w of g.widths) if (Math.abs(w - target) < Math.abs(best - target) || (Math.abs(w - target) === Math.abs(best - target) && w > best)) best = w;
    widths.set(g.id, best);
  }
  return widths;
}

/** Whether two width maps name the same widths. */
export function sameWidths(a: GroupWidths, b: GroupWidths): boolean {
  return a.size === b.size && [...a].every(([id, w]) => b.get(id) === w);
}
