import type { ChannelSide } from './latency-site.js';

/**
 * The widths a group may be pruned to in steps of `step`: every multiple of `step` below its
 * channel count, plus the full count, ascending. Multiples (not `channels − k·step`) because
 * hardware latency changes at multiples of the tile size (research/gpu.md: the staircase).
 *
 * ```ts
 * candidateWidths(20, 8); // [8, 16, 20]
 * candidateWidths(6, 8);  // [6]
 * ```
 */
export function candidateWidths(channels: number, step: number): number[] {
  const out: number[] = [];
  for (let w = step; w < channels; w += step) out.push(w);
  out.push(channels);
  return out;
}

/**
 * Every channel count a layer side can take when each of its groups takes one of its candidate
 * widths, ascending (at most `side.full + 1` values, however many groups feed it).
 *
 * ```ts
 * sideValues(site.cin, new Map([['stem_conv', [8, 16]]])); // [8, 16]
 * ```
 */
export function sideValues(side: ChannelSide, candidates: ReadonlyMap<string, readonly number[]>): number[] {
  let values = new Set<number>([side.full]);
  for (const term of side.terms) {
    const widths = candidates.get(term.group) ?? [term.removed.length - 1];
    const next = new Set<number>();
    for (const v of values) for (const w of widths) next.add(v - (term.removed[w] ?? 0));
    values = next;
  }
  return [...values].filter((v) => v > 0).sort((a, b) => a - b);
}

/**
 * At most `max` of `values` (ascending), evenly spread by rank, first and last always kept: the
 * grid points measured when a layer can take more widths than the cap allows.
 *
 * ```ts
 * thinOut([1, 2, 3, 4, 5, 6, 7], 3); // [1, 4, 7]
 * ```
 */
export function thinOut(values: readonly number[], max: number): number[] {
  if (values.length <= max) return [...values];
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(values[Math.round((i * (values.length - 1)) / (max - 1))] as number);
  return [...picked].sort((a, b) => a - b);
}
