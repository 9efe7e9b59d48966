import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/**
 * A `Tile` for the wasm backend whose pure broadcasts (every repeated axis has size 1, as in the
 * FusedBatchNorm gradient and in `tf.broadcastTo`) are block copies that double in size
 * (`copyWithin`, i.e. memmove) instead of the stock kernel's per-element index arithmetic. Other
 * tilings go to the stock kernel `original`, whose setup and dispose hooks are kept.
 *
 * ```ts
 * const stock = tf.getKernel('Tile', 'wasm')!;
 * tf.registerKernel(broadcastTileConfig(stock));
 * ```
 */
export function broadcastTileConfig(original: tf.KernelConfig): tf.KernelConfig {
  const config: tf.KernelConfig = {
    kernelName: tf.Tile,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs['x'] as tf.TensorInfo;
      const { reps } = attrs as unknown as tf.TileAttrs;
      const heap = WasmHeap.of(backend);
      if (x.dtype === 'string' || !isPureBroadcast(x.shape, reps)) return heap.keep(heap.runConfig(original, inputs, attrs));
      const out = heap.backend.makeOutput(x.shape.map((size, i) => size * (reps[i] as number)), x.dtype);
      broadcastInto(heap.backend.typedArrayFromHeap(x), heap.backend.typedArrayFromHeap(out), x.shape, reps);
      return out;
    },
  };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  return config;
}

/** True when every axis that is repeated has size 1, so the tile is a broadcast. */
function isPureBroadcast(shape: readonly number[], reps: readonly number[]): boolean {
  return shape.every((size, i) => size === 1 || reps[i] === 1);
}

type Typed = Float32Array | Int32Array | Uint8Array;

/** Fills `dst` with `src` broadcast along the axes where `reps` > 1 (all of size 1 in `src`). */
function broadcastInto(src: Typed, dst: Typed, shape: readonly number[], reps: readonly number[]): void {
  // Collapse to the innermost contiguous run of src, then replicate outwards axis by axis.
  const rank = shape.length;
  let inner = 1;
  let axis = rank - 1;
  while (axis >= 0 && reps[axis] === 1) {
    inner *= shape[axis] as number;
    axis--;
  }
  if (axis < 0) {
    dst.set(src);
    return;
  }
  // From here on, src is a sequence of `inner`-long rows indexed by the axes 0..axis; axes with
  // reps > 1 have size 1 in src. Write each source row once, then replicate blocks.
  fillAxis(src, dst, shape, reps, 0, axis, inner, 0, 0);
}

function fillAxis(src: Typed, dst: Typed, shape: readonly number[], reps: readonly number[], d: number, last: number, inner: number, srcOffset: number, dstOffset: number): void {
  const srcBlock = blockSize(shape, d + 1, last) * inner;
  const dstBlock = blockSize(shape, d + 1, last, reps) * inner;
  const size = shape[d] as number;
  if (d === last) {
    for (let j = 0; j < size; j++) dst.set(src.subarray(srcOffset + j * srcBlock, srcOffset + (j + 1) * srcBlock), dstOffset + j * dstBlock);
  } else {
    for (let j = 0; j < size; j++) fillAxis(src, dst, shape, reps, d + 1, last, inner, srcOffset + j * srcBlock, dstOffset + j * dstBlock);
  }
  replicate(dst, dstOffset, size * dstBlock, reps[d] as number);
}

function blockSize(shape: readonly number[], from: number, last: number, reps?: readonly number[]): number {
  let size = 1;
  for (let i = from; i <= last; i++) size *= (shape[i] as number) * (reps === undefined ? 1 : (reps[i] as number));
  return size;
}

/** Copies dst[start, start + length) `times` − 1 more times right after itself, doubling each pass. */
function replicate(dst: Typed, start: number, length: number, times: number): void {
  const total = length * times;
  let filled = length;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}
