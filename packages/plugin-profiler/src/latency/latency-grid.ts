/** Where `x` falls among ascending `values`: the two neighbours and the weight of the upper one (clamped at the ends). */
function bracket(values: readonly number[], x: number): { lo: number; hi: number; t: number } {
  const last = values.length - 1;
  if (last <= 0 || x <= (values[0] as number)) return { lo: 0, hi: 0, t: 0 };
  if (x >= (values[last] as number)) return { lo: last, hi: last, t: 0 };
  let hi = 1;
  while ((values[hi] as number) < x) hi++;
  const a = values[hi - 1] as number;
  const b = values[hi] as number;
  return { lo: hi - 1, hi, t: (x - a) / (b - a) };
}

/**
 * One layer's measured latency on a (cin, cout) grid, and bilinear interpolation between the
 * measured points. Queries outside the grid are clamped to its edge (no extrapolation): the grid
 * always spans the smallest and largest widths the layer can take at the profiled step.
 *
 * ```ts
 * const grid = new LatencyGrid([8, 16], [8, 16], [[1, 2], [3, 4]]);
 * grid.at(12, 16); // 3
 * ```
 */
export class LatencyGrid {
  constructor(
    /** Ascending input channel counts measured. */
    readonly cinValues: readonly number[],
    /** Ascending output channel counts measured (one value for depthwise layers). */
    readonly coutValues: readonly number[],
    /** `ms[i][j]` at `cinValues[i]`, `coutValues[j]`. */
    readonly ms: readonly (readonly number[])[],
  ) {}

  at(cin: number, cout: number): number {
    const r = bracket(this.cinValues, cin);
    const c = bracket(this.coutValues, cout);
    const v = (i: number, j: number): number => this.ms[i]?.[j] ?? Number.NaN;
    const top = v(r.lo, c.lo) * (1 - c.t) + v(r.lo, c.hi) * c.t;
    const bottom = v(r.hi, c.lo) * (1 - c.t) + v(r.hi, c.hi) * c.t;
    return top * (1 - r.t) + bottom * r.t;
  }
}
