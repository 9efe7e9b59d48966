/**
 * How a vector of channel importances is rescaled so that scores compare across groups (or layers),
 * as Torch-Pruning's `normalizer`: `none`, divided by its `mean`, `max` or `sum`, or `lamp` (Lee et
 * al., ICLR 2021: sorted ascending, `s_j = m_(j) / Σ_{k ≥ j} m_(k)`, so the largest scores exactly 1).
 */
export type ImportanceNormaliser = 'none' | 'mean' | 'max' | 'sum' | 'lamp';

/**
 * The importances rescaled by `normaliser`. `mean`, `max` and `sum` of an all-zero vector leave it
 * zero; see `lampNormalise` for `lamp`.
 *
 * ```ts
 * normaliseImportance([1, 4, 2], 'max');  // Float32Array [0.25, 1, 0.5]
 * normaliseImportance([1, 4, 2], 'lamp'); // Float32Array [1/7, 1, 2/6]
 * ```
 */
export function normaliseImportance(values: ArrayLike<number>, normaliser: ImportanceNormaliser): Float32Array {
  const n = values.length;
  switch (normaliser) {
    case 'none':
      return Float32Array.from(values);
    case 'lamp':
      return lampNormalise(values);
    case 'mean':
    case 'max':
    case 'sum': {
      let sum = 0;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        sum += values[i] as number;
        max = Math.max(max, values[i] as number);
      }
      const by = normaliser === 'sum' ? sum : normaliser === 'max' ? max : sum / n;
      return Float32Array.from(values, (v) => (by > 0 ? v / by : 0));
    }
  }
}

/**
 * LAMP normalisation of one layer's (or group's) channel magnitudes (Lee et al., ICLR 2021, moved
 * from weights to filters as SP-LAMP): sort ascending, `s_j = m_(j) / Σ_{k ≥ j} m_(k)`. The largest
 * scores exactly 1, so a global ranking never empties a layer. Ties keep their input order; a
 * vector of zeros scores 0 everywhere except its last entry (1).
 *
 * ```ts
 * lampNormalise(Float32Array.of(1, 4, 2)); // Float32Array [1/7, 1, 2/6]
 * ```
 */
export function lampNormalise(magnitudes: ArrayLike<number>): Float32Array {
  const n = magnitudes.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (magnitudes[a] as number) - (magnitudes[b] as number) || a - b);
  const scores = new Float32Array(n);
  // Sum from the largest down, in float64, so that the tail sums are exact enough for tiny filters.
  let tail = 0;
  for (let rank = n - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    const m = magnitudes[index] as number;
    tail += m;
    scores[index] = tail > 0 ? m / tail : rank === n - 1 ? 1 : 0;
  }
  return scores;
}
