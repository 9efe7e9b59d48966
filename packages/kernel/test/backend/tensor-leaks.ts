// Float comparisons for the gradient kernels' tests (tensor-leak checks come from @whittle/testing).
import { expect } from 'vitest';

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Largest absolute value (at least 1), the scale a float32 error is relative to. */
export function magnitude(a: ArrayLike<number>): number {
  let m = 1;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Asserts |a − b| ≤ tolerance × max(1, max|a|) elementwise. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, label: string): void {
  const error = maxAbsDiff(actual, expected);
  expect(error, `${label}: max abs error ${error} (magnitude ${magnitude(expected)})`).toBeLessThanOrEqual(tolerance * magnitude(expected));
}

/** Deterministic, non-trivial test values. */
export function waves(size: number, frequency: number, phase = 0): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.sin(i * frequency + phase) + 0.25 * Math.cos(i * frequency * 3.1 + 2 * phase);
  return out;
}
