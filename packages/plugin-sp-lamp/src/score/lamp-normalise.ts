/**
 * LAMP normalisation of one layer's filter magnitudes (Lee et al., ICLR 2021, moved from weights to
 * filters as SP-LAMP): sort ascending, `s_j = m_(j) / Σ_{k ≥ j} m_(k)`. The largest filter scores
 * exactly 1, so a global ranking never empties a layer. Ties keep their input order; a layer whose
 * magnitudes are all 0 scores 0 everywhere except its last filter (1).
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
