import { inputError } from '@whittle/kernel';

/**
 * Which keep-widths a group may be cut to:
 * - `multiples` (default): `g, 2g, …` below the count, then the count (the widths a latency table
 *   measures: real kernels run in tiles, so latency changes at multiples of g; a group narrower
 *   than g cannot be cut). On wasm (XNNPACK) a 9-channel conv runs about as slow as a 16-channel
 *   one, so widths between the table's points are priced far too low;
 * - `one-plus`: `1, 1 + g, 1 + 2g, …` below the channel count, then the count itself (the paper's
 *   items: the score-1 channel plus whole steps of g), for targets without tiles.
 */
export type WidthGrid = 'one-plus' | 'multiples';

/**
 * The keep-widths of a group of `channels` channels at step `step`, ascending; the largest is
 * always `channels`, the smallest at least 1 (the channel that scores 1 is always kept).
 *
 * ```ts
 * keepWidths(20, 8);             // [8, 16, 20]
 * keepWidths(20, 8, 'one-plus');  // [1, 9, 17, 20]
 * ```
 */
export function keepWidths(channels: number, step: number, grid: WidthGrid = 'multiples'): number[] {
  if (!Number.isInteger(channels) || channels < 1) {
    throw inputError('SP_LAMP_BAD_WIDTH', `keepWidths: a group needs an integer channel count ≥ 1, got ${channels}`, 'Pass the group\'s channel count.');
  }
  if (!Number.isInteger(step) || step < 1) {
    throw inputError('SP_LAMP_BAD_OPTION', `option "step" must be an integer ≥ 1, got ${step}`, 'Use e.g. 8 (the width granularity of the target\'s kernels).');
  }
  const widths: number[] = [];
  for (let k = grid === 'one-plus' ? 1 : step; k < channels; k += step) widths.push(k);
  widths.push(channels);
  return widths;
}

/**
 * Sum of the `k` largest scores for every `k` in `widths`: the value of keeping a group at width `k`
 * when its lowest-score channels go first.
 *
 * ```ts
 * topKValues(Float32Array.of(0.2, 1, 0.5), [1, 3]); // Float64Array [1, 1.7]
 * ```
 */
export function topKValues(scores: ArrayLike<number>, widths: readonly number[]): Float64Array {
  const sorted = Array.from(scores).sort((a, b) => b - a);
  const prefix = new Float64Array(sorted.length + 1);
  for (let i = 0; i < sorted.length; i++) prefix[i + 1] = (prefix[i] as number) + (sorted[i] as number);
  return Float64Array.from(widths, (k) => prefix[Math.min(k, sorted.length)] as number);
}
