/**
 * Copies that rearrange tensors on the wasm heap so that the gradients of a convolution can be
 * computed by forward convolutions. They are plain loops over Float32Array views: for these
 * shapes they run faster than the wasm backend's generic Transpose, and they fuse a crop or a
 * zero-insertion into the same pass. Sizes are forced to small integers on entry (see
 * channel-loops.ts).
 *
 * ```ts
 * const dst = new Float32Array(6);
 * moveBatchToChannels(new Float32Array([1, 2, 3, 4, 5, 6]), dst, 2, 1, 3); // dst = 1 4 2 5 3 6
 * ```
 */

/** `[batch, pixels, channels]` → `[channels, pixels, batch]`. */
export function moveBatchToChannels(src: Float32Array, dst: Float32Array, batch: number, pixels: number, channels: number): void {
  batch |= 0;
  pixels |= 0;
  channels |= 0;
  const pixelsTimesBatch = pixels * batch;
  for (let n = 0; n < batch; n++) {
    let s = n * pixels * channels;
    for (let p = 0; p < pixels; p++) {
      let d = p * batch + n;
      for (let c = 0; c < channels; c++) {
        dst[d] = src[s++] as number;
        d += pixelsTimesBatch;
      }
    }
  }
}

/** `[batch, pixels, channels]` → `[pixels, batch, channels]`: whole channel rows move. */
export function moveBatchInside(src: Float32Array, dst: Float32Array, batch: number, pixels: number, channels: number): void {
  batch |= 0;
  pixels |= 0;
  channels |= 0;
  for (let n = 0; n < batch; n++) {
    let s = n * pixels * channels;
    for (let p = 0; p < pixels; p++) {
      const d = (p * batch + n) * channels;
      if (channels >= 32) {
        dst.set(src.subarray(s, s + channels), d);
        s += channels;
      } else {
        for (let c = 0; c < channels; c++) dst[d + c] = src[s++] as number;
      }
    }
  }
}

/**
 * `[inChannels, rows, cols, outChannels]` (possibly larger than needed) → the top-left
 * `[height, width, inChannels, outChannels]`: the layout of a filter gradient.
 */
export function cropToFilterLayout(
  src: Float32Array,
  dst: Float32Array,
  inChannels: number,
  rows: number,
  cols: number,
  outChannels: number,
  height: number,
  width: number,
): void {
  [inChannels, rows, cols, outChannels, height, width] = [inChannels | 0, rows | 0, cols | 0, outChannels | 0, height | 0, width | 0];
  for (let ci = 0; ci < inChannels; ci++) {
    for (let h = 0; h < height; h++) {
      for (let w = 0; w < width; w++) {
        let s = ((ci * rows + h) * cols + w) * outChannels;
        let d = ((h * width + w) * inChannels + ci) * outChannels;
        for (let co = 0; co < outChannels; co++) dst[d++] = src[s++] as number;
      }
    }
  }
}

/** `filter[kh, kw, ci, co]` → `out[KH-1-kh, KW-1-kw, co, ci]`: the filter of the input gradient. */
export function flipAndSwapFilter(
  src: Float32Array,
  dst: Float32Array,
  height: number,
  width: number,
  inChannels: number,
  outChannels: number,
): void {
  [height, width, inChannels, outChannels] = [height | 0, width | 0, inChannels | 0, outChannels | 0];
  for (let kh = 0; kh < height; kh++) {
    for (let kw = 0; kw < width; kw++) {
      const s0 = (kh * width + kw) * inChannels * outChannels;
      const d0 = ((height - 1 - kh) * width + (width - 1 - kw)) * outChannels * inChannels;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++) dst[d0 + co * inChannels + ci] = src[s0 + ci * outChannels + co] as number;
      }
    }
  }
}

/** `filter[kh, kw, c]` → `out[KH-1-kh, KW-1-kw, c]`: spatial flip, channels kept. */
export function flipSpatially(src: Float32Array, dst: Float32Array, height: number, width: number, channels: number): void {
  for (let kh = 0; kh < height; kh++) {
    for (let kw = 0; kw < width; kw++) {
      const s = (kh * width + kw) * channels;
      const d = ((height - 1 - kh) * width + (width - 1 - kw)) * channels;
      dst.set(src.subarray(s, s + channels), d);
    }
  }
}

/** Where the rows (or columns) of `dy` land in the zero-inserted, padded input of a transposed conv. */
export interface SpreadAxis {
  /** Size of `dy` along the axis. */
  count: number;
  /** Position of `dy`'s first element in the destination; may be negative (cropped). */
  offset: number;
  /** Distance between consecutive `dy` elements (the forward stride). */
  step: number;
  /** Size of the destination along the axis. */
  size: number;
}

/**
 * Writes `dy[n, i, j, :]` to `dst[n, offset + i*step, offset + j*step, :]` and zeros elsewhere;
 * elements that fall outside `dst` are dropped (they touch no input pixel).
 */
export function spreadWithZeros(src: Float32Array, dst: Float32Array, batch: number, rows: SpreadAxis, cols: SpreadAxis, channels: number): void {
  batch |= 0;
  channels |= 0;
  const [rowCount, rowOffset, rowStep, rowSize] = [rows.count | 0, rows.offset | 0, rows.step | 0, rows.size | 0];
  const [colCount, colOffset, colStep, colSize] = [cols.count | 0, cols.offset | 0, cols.step | 0, cols.size | 0];
  dst.fill(0);
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < rowCount; i++) {
      const r = rowOffset + i * rowStep;
      if (r < 0 || r >= rowSize) continue;
      for (let j = 0; j < colCount; j++) {
        const c = colOffset + j * colStep;
        if (c < 0 || c >= colSize) continue;
        let s = ((n * rowCount + i) * colCount + j) * channels;
        let d = ((n * rowSize + r) * colSize + c) * channels;
        if (channels >= 32) {
          dst.set(src.subarray(s, s + channels), d);
        } else {
          for (let k = 0; k < channels; k++) dst[d++] = src[s++] as number;
        }
      }
    }
  }
}
