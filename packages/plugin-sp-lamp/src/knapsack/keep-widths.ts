import { inputError } from '@whittle/kernel';

/**
 * The keep-widths a group may be cut to: `1, 1 + g, 1 + 2g, …` below `channels`, then `channels`
 * itself. Width 1 is the channel that scores 1 (always kept); stepping by `g` matches the staircase
 * of real kernels (channel counts that are multiples of a tile run as fast as the next smaller one).
 *
 * ```ts
 * keepWidths(20, 8); // [1, 9, 17, 20]
 * ```
 */
export function keepWidths(channels: number, step: number): number[] {
  if (!Number.isInteger(channels) || channels < 1) {
    throw inputError('SP_LAMP_BAD_WIDTH', `keepWidths: a group needs an integer channel count ≥ 1, got ${channels}`, 'Pass the group\'s channel count.');
  }
  if (!Number.isInteger(step) || step < 1) {
    throw inputError('SP_LAMP_BAD_OPTION', `option "step" must be an integer ≥ 1, got ${step}`, 'Use e.g. 8 (the width granularity of the target\'s kernels).');
  }
  const widths: number[] = [];
  for (let k = 1; k < channels; k += step) widths.push(k);
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
