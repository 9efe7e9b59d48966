import { describe, expect, it } from 'vitest';
import { fitLatency, uniformWidths } from '../../src/index.js';

describe('fitLatency', () => {
  it('recovers scale and constant from exact points, and minimises squared error on noisy ones', () => {
    const exact = [10, 6, 3, 1].map((tableMs, i) => ({ fraction: 1 - i * 0.25, tableMs, measuredMs: 0.9 * tableMs + 0.4 }));
    const fit = fitLatency(exact);
    expect(fit.scale).toBeCloseTo(0.9, 12);
    expect(fit.constantMs).toBeCloseTo(0.4, 12);
    const noisy = [{ fraction: 1, tableMs: 10, measuredMs: 9.7 }, { fraction: 0.5, tableMs: 5, measuredMs: 5.2 }, { fraction: 0.25, tableMs: 2, measuredMs: 2.5 }];
    const f = fitLatency(noisy);
    const sse = (scale: number, constantMs: number): number => noisy.reduce((s, p) => s + (p.measuredMs - scale * p.tableMs - constantMs) ** 2, 0);
    for (const [ds, dc] of [[0.01, 0], [-0.01, 0], [0, 0.01], [0, -0.01]] as const) expect(sse(f.scale + ds, f.constantMs + dc)).toBeGreaterThan(sse(f.scale, f.constantMs));
  });

  it('falls back to scale 1 and the mean residual with one point, equal sums or a non-positive slope', () => {
    expect(fitLatency([{ fraction: 1, tableMs: 10, measuredMs: 11 }])).toEqual({ scale: 1, constantMs: 1 });
    expect(fitLatency([{ fraction: 1, tableMs: 4, measuredMs: 5 }, { fraction: 0.5, tableMs: 4, measuredMs: 6 }])).toEqual({ scale: 1, constantMs: 1.5 });
    expect(fitLatency([{ fraction: 1, tableMs: 10, measuredMs: 5 }, { fraction: 0.5, tableMs: 5, measuredMs: 6 }]).scale).toBe(1);
    expect(fitLatency([])).toEqual({ scale: 1, constantMs: 0 });
  });
});

describe('uniformWidths', () => {
  it('picks each group\'s candidate width closest to the fraction, ties to the wider', () => {
    const groups = [{ id: 'a', channels: 64, widths: [8, 16, 24, 32, 40, 48, 56, 64] }, { id: 'b', channels: 16, widths: [8, 16] }, { id: 'c', channels: 6, widths: [6] }];
    expect(uniformWidths(groups, 0.25)).toEqual(new Map([['a', 16], ['b', 8], ['c', 6]]));
    expect(uniformWidths(groups, 0.75)).toEqual(new Map([['a', 48], ['b', 16], ['c', 6]]));
  });
});
