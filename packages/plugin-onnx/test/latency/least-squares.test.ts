import { describe, expect, it } from 'vitest';
import { leastSquares } from '../../src/latency/least-squares.js';

describe('leastSquares', () => {
  it('recovers the coefficients of noise-free data exactly (to the ridge term)', () => {
    const beta = [0.02, 3e-5, 0.004, -0.001];
    const rows = [[1, 64 * 64, 64, 64], [1, 48 * 64, 48, 64], [1, 32 * 16, 32, 16], [1, 8 * 8, 8, 8], [1, 24 * 40, 24, 40], [1, 56 * 8, 56, 8]];
    const targets = rows.map((r) => r.reduce((s, x, i) => s + x * (beta[i] as number), 0));
    const fitted = leastSquares(rows, targets);
    fitted.forEach((b, i) => expect(b).toBeCloseTo(beta[i] as number, 5));
    rows.forEach((r, n) => expect(r.reduce((s, x, i) => s + x * (fitted[i] as number), 0)).toBeCloseTo(targets[n] as number, 5));
  });

  it('minimises the squared residuals of an overdetermined noisy system (normal equations hold)', () => {
    const rows = [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5]];
    const targets = [1.1, 1.9, 3.2, 3.9, 5.1];
    const [a, b] = leastSquares(rows, targets) as [number, number];
    // Closed form for a line: b = Sxy / Sxx, a = ȳ − b x̄.
    const meanX = 3;
    const meanY = targets.reduce((s, y) => s + y, 0) / 5;
    const sxy = rows.reduce((s, r, i) => s + ((r[1] as number) - meanX) * ((targets[i] as number) - meanY), 0);
    const sxx = rows.reduce((s, r) => s + ((r[1] as number) - meanX) ** 2, 0);
    expect(b).toBeCloseTo(sxy / sxx, 4);
    expect(a).toBeCloseTo(meanY - (sxy / sxx) * meanX, 4);
  });

  it('gives a finite, small answer when columns are collinear or constant (a layer whose widths never change)', () => {
    const rows = [[1, 16, 16], [1, 16, 16], [1, 16, 16]];
    const fitted = leastSquares(rows, [0.5, 0.52, 0.48]);
    expect(fitted.every(Number.isFinite)).toBe(true);
    // Any split of 0.5 over the identical columns fits; the prediction is what matters.
    expect(rows[0]!.reduce((s, x, i) => s + x * (fitted[i] as number), 0)).toBeCloseTo(0.5, 3);
  });

  it('is not thrown off by columns of very different magnitude (cin·cout vs 1)', () => {
    const rows = Array.from({ length: 8 }, (_, i) => [1, (i + 1) * 1e6]);
    const targets = rows.map((r) => 0.3 + 2e-7 * (r[1] as number));
    const [a, b] = leastSquares(rows, targets) as [number, number];
    // Within the ridge term's bias (1e-6 · rows on the scaled columns).
    expect(a).toBeCloseTo(0.3, 4);
    expect(b / 2e-7).toBeCloseTo(1, 4);
  });

  it('returns no coefficients for rows without features', () => {
    expect(leastSquares([], [])).toEqual([]);
  });
});
