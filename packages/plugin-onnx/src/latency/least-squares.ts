/**
 * Least-squares coefficients β of `rows · β ≈ targets`, with each feature column scaled to at most
 * 1 in magnitude first and a tiny ridge term (1e-6) so that collinear or constant columns (a layer
 * whose groups cannot be pruned: every row alike) give a finite, small-norm answer instead of none.
 *
 * ```ts
 * leastSquares([[1, 1], [1, 2], [1, 3]], [2, 3, 4]); // ≈ [1, 1]
 * ```
 */
export function leastSquares(rows: readonly (readonly number[])[], targets: readonly number[]): number[] {
  const p = rows[0]?.length ?? 0;
  const scale = Array.from({ length: p }, (_, j) => Math.max(1e-12, ...rows.map((r) => Math.abs(r[j] as number))));
  // Normal equations (XᵀX + λI) β' = Xᵀy on the scaled columns.
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  rows.forEach((row, n) => {
    for (let i = 0; i < p; i++) {
      const xi = (row[i] as number) / (scale[i] as number);
      for (let j = 0; j < p; j++) (a[i] as number[])[j] = ((a[i] as number[])[j] as number) + xi * ((row[j] as number) / (scale[j] as number));
      (a[i] as number[])[p] = ((a[i] as number[])[p] as number) + xi * (targets[n] as number);
    }
  });
  for (let i = 0; i < p; i++) (a[i] as number[])[i] = ((a[i] as number[])[i] as number) + 1e-6 * Math.max(1, rows.length);
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = r;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const lead = (a[col] as number[])[col] as number;
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const factor = ((a[r] as number[])[col] as number) / lead;
      for (let c = col; c <= p; c++) (a[r] as number[])[c] = ((a[r] as number[])[c] as number) - factor * ((a[col] as number[])[c] as number);
    }
  }
  return Array.from({ length: p }, (_, i) => ((a[i] as number[])[p] as number) / ((a[i] as number[])[i] as number) / (scale[i] as number));
}
