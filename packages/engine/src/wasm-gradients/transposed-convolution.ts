import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { spreadWithZeros } from './heap-layout.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * The input gradient of a forward conv of geometry `g` (a "transposed convolution"), computed with
 * forward convolutions (`kernelName`: Conv2D, or DepthwiseConv2dNative for a depthwise conv) of dy
 * by `flippedFilter` (the forward filter flipped in space, channel axes swapped for Conv2D):
 *
 * - stride 1: one convolution of dy, padded by the filter's reach, no copy of dy;
 * - stride s > 1: one small convolution per output phase (h mod s, w mod s) with the taps that reach
 *   it, interleaved into dx — no multiplications by the zeros a stride leaves between dy values;
 * - otherwise (dilation with stride, padding beyond the filter's reach): one convolution of dy
 *   spread out with zeros.
 *
 * Returns a temporary of `heap`, shape `[N, H, W, channels of the convolution's output]`.
 *
 * ```ts
 * const dx = transposedConvolution(heap, tf.Conv2D, dy, flipped, convGeometry(xShape, wShape, 2, 1, 'same', undefined, false));
 * ```
 */
export function transposedConvolution(heap: WasmHeap, kernelName: string, dy: tf.TensorInfo, flippedFilter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const rows = axisPhases(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.dilationHeight, g.padTop);
  const cols = axisPhases(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.dilationWidth, g.padLeft);
  if (rows !== undefined && cols !== undefined) {
    if (rows.length === 1 && cols.length === 1) {
      const [row, col] = [rows[0] as AxisPhase, cols[0] as AxisPhase];
      const pad = [[0, 0], [row.padBefore, row.padAfter], [col.padBefore, col.padAfter], [0, 0]];
      return heap.run(kernelName, { x: dy, filter: flippedFilter }, convAttrs(g.dilationHeight, g.dilationWidth, pad));
    }
    return byPhases(heap, kernelName, dy, flippedFilter, g, rows, cols);
  }
  return bySpreading(heap, kernelName, dy, flippedFilter, g);
}

/** How one output phase (positions `phase`, `phase + stride`, …) along one axis is computed. */
interface AxisPhase {
  phase: number;
  /** Outputs in this phase. */
  count: number;
  /** Filter taps that reach this phase. */
  taps: number;
  /** Index of its first tap in the flipped filter; the others follow `stride` apart. */
  firstTap: number;
  padBefore: number;
  padAfter: number;
}

/**
 * Per-phase plans along one axis, or undefined when a phase would need negative padding (a crop)
 * or when stride and dilation are both above 1: those cases go to `bySpreading`.
 */
function axisPhases(inSize: number, outSize: number, filterSize: number, stride: number, dilation: number, padBefore: number): AxisPhase[] | undefined {
  if (stride > 1 && dilation > 1) return undefined;
  if (stride === 1) {
    const reach = (filterSize - 1) * dilation;
    const before = reach - padBefore;
    const after = inSize + reach - before - outSize;
    return before < 0 || after < 0 ? undefined : [{ phase: 0, count: inSize, taps: filterSize, firstTap: 0, padBefore: before, padAfter: after }];
  }
  const phases: AxisPhase[] = [];
  for (let phase = 0; phase < stride; phase++) {
    const count = phase < inSize ? Math.ceil((inSize - phase) / stride) : 0;
    // Forward taps k with (phase + padBefore − k) divisible by the stride reach this phase.
    const first = (phase + padBefore) % stride;
    const taps = first < filterSize ? Math.ceil((filterSize - first) / stride) : 0;
    const lead = (phase + padBefore - first) / stride;
    const before = taps - 1 - lead;
    const after = count + taps - 1 - outSize - before;
    if (taps > 0 && count > 0 && (before < 0 || after < 0)) return undefined;
    phases.push({ phase, count, taps, firstTap: filterSize - 1 - first - stride * (taps - 1), padBefore: before, padAfter: after });
  }
  return phases;
}

function byPhases(heap: WasmHeap, kernelName: string, dy: tf.TensorInfo, flipped: tf.TensorInfo, g: ConvGeometry, rows: AxisPhase[], cols: AxisPhase[]): tf.TensorInfo {
  const [, , inner0, inner1] = flipped.shape as [number, number, number, number];
  const channels = kernelName === tf.Conv2D ? inner1 : inner0;
  const dx = heap.alloc([g.batch, g.inHeight, g.inWidth, channels]);
  const parts: Array<{ row: AxisPhase; col: AxisPhase; out: tf.TensorInfo }> = [];
  let complete = true;
  for (const row of rows) {
    for (const col of cols) {
      if (row.count === 0 || col.count === 0) continue;
      if (row.taps === 0 || col.taps === 0) {
        complete = false;
        continue;
      }
      const taps = heap.alloc([row.taps, col.taps, inner0, inner1]);
      selectTaps(heap.f32(flipped), heap.f32(taps), g.filterWidth, inner0 * inner1, row, col, g.strideHeight, g.strideWidth);
      const pad = [[0, 0], [row.padBefore, row.padAfter], [col.padBefore, col.padAfter], [0, 0]];
      parts.push({ row, col, out: heap.run(kernelName, { x: dy, filter: taps }, convAttrs(1, 1, pad)) });
    }
  }
  const dxValues = heap.f32(dx);
  if (!complete) dxValues.fill(0);
  for (const { row, col, out } of parts) interleave(heap.f32(out), dxValues, g, channels, row, col);
  return dx;
}

/** `dst[j, k, :] = src[row.firstTap + j·strideH, col.firstTap + k·strideW, :]`. */
function selectTaps(src: Float32Array, dst: Float32Array, filterWidth: number, inner: number, row: AxisPhase, col: AxisPhase, strideH: number, strideW: number): void {
  inner |= 0;
  for (let j = 0; j < row.taps; j++) {
    for (let k = 0; k < col.taps; k++) {
      const s = ((row.firstTap + j * strideH) * filterWidth + col.firstTap + k * strideW) * inner;
      dst.set(src.subarray(s, s + inner), (j * col.taps + k) * inner);
    }
  }
}

/** Writes a phase's output `[N, row.count, col.count, C]` to its positions in dx. */
function interleave(src: Float32Array, dx: Float32Array, g: ConvGeometry, channels: number, row: AxisPhase, col: AxisPhase): void {
  // Small integers (Smis) for fast loops; see channel-loops.ts.
  channels |= 0;
  const [batch, inHeight, inWidth, strideHeight, strideWidth] = [g.batch | 0, g.inHeight | 0, g.inWidth | 0, g.strideHeight | 0, g.strideWidth | 0];
  const [rowPhase, rowCount, colPhase, colCount] = [row.phase | 0, row.count | 0, col.phase | 0, col.count | 0];
  let s = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < rowCount; i++) {
      const h = rowPhase + i * strideHeight;
      for (let j = 0; j < colCount; j++) {
        let d = ((n * inHeight + h) * inWidth + colPhase + j * strideWidth) * channels;
        if (channels >= 32) {
          dx.set(src.subarray(s, s + channels), d);
          s += channels;
        } else {
          for (let c = 0; c < channels; c++) dx[d++] = src[s++] as number;
        }
      }
    }
  }
}

function bySpreading(heap: WasmHeap, kernelName: string, dy: tf.TensorInfo, flipped: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const reachHeight = (g.filterHeight - 1) * g.dilationHeight;
  const reachWidth = (g.filterWidth - 1) * g.dilationWidth;
  const rows = { count: g.outHeight, offset: reachHeight - g.padTop, step: g.strideHeight, size: g.inHeight + reachHeight };
  const cols = { count: g.outWidth, offset: reachWidth - g.padLeft, step: g.strideWidth, size: g.inWidth + reachWidth };
  const channels = dy.shape[3] as number;
  const spread = heap.alloc([g.batch, rows.size, cols.size, channels]);
  spreadWithZeros(heap.f32(dy), heap.f32(spread), g.batch, rows, cols, channels);
  return heap.run(kernelName, { x: spread, filter: flipped }, convAttrs(g.dilationHeight, g.dilationWidth, 'valid'));
}

function convAttrs(dilationHeight: number, dilationWidth: number, pad: number[][] | 'valid'): tf.NamedAttrMap {
  return { strides: [1, 1], dilations: [dilationHeight, dilationWidth], pad, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap;
}
