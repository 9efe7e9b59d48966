import type { SeededRng } from '@whittle/kernel';
import type { PredictorGroup } from './latency-predictor.js';

/**
 * A random configuration that keeps about half of every group: for each group a fraction drawn
 * uniformly from [0.25, 0.75] (mean 0.5), rounded to the nearest of its candidate widths.
 *
 * ```ts
 * const widths = randomHalfWidths(predictor.groups, SeededRng.from(42, 'half'));
 * ```
 */
export function randomHalfWidths(groups: readonly PredictorGroup[], rng: SeededRng): Map<string, number> {
  const widths = new Map<string, number>();
  for (const group of groups) {
    const target = group.channels * (0.25 + 0.5 * rng.next());
    let best = group.channels;
    for (const w of group.widths) if (Math.abs(w - target) < Math.abs(best - target)) best = w;
    widths.set(group.id, best);
  }
  return widths;
}
