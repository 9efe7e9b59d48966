import * as tf from '@tensorflow/tfjs';
import { assertChannelsLast, assertGradientShape, convGeometry, type ConvPadding, type DimRoundingMode } from './conv-geometry.js';
import { cropToFilterLayout, moveBatchInside, moveBatchToChannels } from './heap-layout.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend, computed by ONE forward convolution on XNNPACK:
 *
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, ci] · dy[n, oh, ow, co]
 *
 * is a convolution of x with batch and channels swapped (`[ci, H, W, n]`) by dy laid out as a
 * filter (`[OH, OW, n, co]`), with the forward stride as dilation. Its output `[ci, KH, KW, co]`
 * is cropped and reordered to `[KH, KW, ci, co]`.
 *
 * ```ts
 * tf.registerKernel(conv2dBackpropFilterConfig);
 * tf.grad((w: tf.Tensor4D) => tf.conv2d(x, w, 1, 'same').sum())(w); // now runs on wasm
 * ```
 */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    assertChannelsLast(tf.Conv2DBackpropFilter, dataFormat);
    return filterGradientByConvolution(WasmHeap.of(backend), x, dy, filterShape, strides, 1, pad, dimRoundingMode);
  },
};

/** The filter gradient of a (possibly dilated) NHWC conv2d, by one forward conv on wasm. */
function filterGradientByConvolution(
  heap: WasmHeap,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: readonly number[],
  strides: number | readonly number[],
  dilations: number | readonly number[],
  pad: ConvPadding,
  dimRoundingMode: DimRoundingMode | undefined,
): tf.TensorInfo {
  const g = convGeometry(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, false);
  const outChannels = filterShape[3] as number;
  assertGradientShape(tf.Conv2DBackpropFilter, dy, g, outChannels);
  try {
    const xT = heap.alloc([g.inChannels, g.inHeight, g.inWidth, g.batch]);
    const dyT = heap.alloc([g.outHeight, g.outWidth, g.batch, outChannels]);
    moveBatchToChannels(heap.f32(x), heap.f32(xT), g.batch, g.inHeight * g.inWidth, g.inChannels);
    moveBatchInside(heap.f32(dy), heap.f32(dyT), g.batch, g.outHeight * g.outWidth, outChannels);
    // Trailing padding so that every filter tap has an output; surplus rows are cropped below.
    const padBottom = Math.max(0, (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1 - g.inHeight - g.padTop);
    const padRight = Math.max(0, (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1 - g.inWidth - g.padLeft);
    const taps = heap.run(
      tf.Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [g.dilationHeight, g.dilationWidth],
        dilations: [g.strideHeight, g.strideWidth],
        pad: [[0, 0], [g.padTop, padBottom], [g.padLeft, padRight], [0, 0]],
        dataFormat: 'NHWC',
      },
    );
    const dw = heap.keep(heap.alloc([g.filterHeight, g.filterWidth, g.inChannels, outChannels]));
    const rows = taps.shape[1] as number;
    const cols = taps.shape[2] as number;
    cropToFilterLayout(heap.f32(taps), heap.f32(dw), g.inChannels, rows, cols, outChannels, g.filterHeight, g.filterWidth);
    return dw;
  } finally {
    heap.disposeTemporaries();
  }
}
