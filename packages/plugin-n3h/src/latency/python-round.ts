/**
 * Python 3's `round(x)` for floats: to the nearest integer, ties to even. The reference model
 * splits channels with it (`round(N·ratio)`), so a port must round the same way to agree exactly.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Python's `round(x, 2)` for the ratios the split scan produces (multiples of 0.01 give no ties). */
export function roundToHundredths(x: number): number {
  return Math.round(x * 100) / 100;
}
