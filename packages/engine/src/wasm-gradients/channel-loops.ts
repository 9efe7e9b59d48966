/**
 * Per-channel loops over `[rows, channels]` data (NHWC with N·H·W rows) on Float32Array views of
 * the wasm heap. They walk blocks of rows channel by channel so the accumulators stay in registers,
 * which V8 runs about twice as fast as the naive row-major loop; sums accumulate in float64.
 * Sizes are forced to small integers (`| 0`) on entry: a size that arrives as a heap number (as
 * shapes computed by tfjs-layers can) would otherwise make V8 compile the loops with float64
 * indices, three times slower.
 *
 * ```ts
 * const out = new Float64Array(2);
 * sumColumns(new Float32Array([1, 2, 3, 4]), 2, 2, out); // out = [4, 6]
 * ```
 */

const ROW_BLOCK = 512;

/** `out[c] = Σ_r src[r, c]`. */
export function sumColumns(src: Float32Array, rowCount: number, channelCount: number, out: Float64Array): void {
  const rows = rowCount | 0;
  const channels = channelCount | 0;
  out.fill(0);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const end = Math.min(rows, r0 + ROW_BLOCK) * channels;
    for (let c = 0; c < channels; c++) {
      let acc = 0;
      for (let i = r0 * channels + c; i < end; i += channels) acc += src[i] as number;
      out[c] = (out[c] as number) + acc;
    }
  }
}

/** `sums[c] = Σ_r dy[r, c]` and `centredDot[c] = Σ_r dy[r, c] · (x[r, c] − centre[c])`. */
export function sumColumnsAndCentredDot(
  x: Float32Array,
  dy: Float32Array,
  centre: ArrayLike<number>,
  rowCount: number,
  channelCount: number,
  sums: Float64Array,
  centredDot: Float64Array,
): void {
  const rows = rowCount | 0;
  const channels = channelCount | 0;
  sums.fill(0);
  centredDot.fill(0);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const end = Math.min(rows, r0 + ROW_BLOCK) * channels;
    for (let c = 0; c < channels; c++) {
      let s = 0;
      let d = 0;
      for (let i = r0 * channels + c; i < end; i += channels) {
        const g = dy[i] as number;
        s += g;
        d += g * (x[i] as number);
      }
      sums[c] = (sums[c] as number) + s;
      centredDot[c] = (centredDot[c] as number) + d - (centre[c] as number) * s;
    }
  }
}

/** `out[r, c] = src[r, c] · scale[c] + shift[c]` (`shift` omitted: 0). */
export function scaleColumns(src: Float32Array, out: Float32Array, rowCount: number, channelCount: number, scale: ArrayLike<number>, shift?: ArrayLike<number>): void {
  const rows = rowCount | 0;
  const channels = channelCount | 0;
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const end = Math.min(rows, r0 + ROW_BLOCK) * channels;
    for (let c = 0; c < channels; c++) {
      const k = scale[c] as number;
      const b = shift === undefined ? 0 : (shift[c] as number);
      for (let i = r0 * channels + c; i < end; i += channels) out[i] = (src[i] as number) * k + b;
    }
  }
}
