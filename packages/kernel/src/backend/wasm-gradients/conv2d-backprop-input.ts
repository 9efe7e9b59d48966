import * as tf from '@tensorflow/tfjs';
import { assertChannelsLast, assertGradientShape, convGeometry, type ConvGeometry } from './conv-geometry.js';
import { flipAndSwapFilter, spreadWithZeros } from './heap-layout.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `Conv2DBackpropInput` for the wasm backend (replaces the stock, much slower one), computed by ONE
 * forward convolution on XNNPACK: dx is the stride-1 'valid' convolution of dy — spread out by the
 * forward stride and padded by the filter's reach — with the filter flipped in space and its
 * channel axes swapped. Stride 1 needs no copy of dy: the padding is passed to the convolution.
 *
 * ```ts
 * tf.registerKernel(conv2dBackpropInputConfig);
 * tf.grad((x: tf.Tensor4D) => tf.conv2d(x, w, 2, 'same').sum())(x); // now runs on wasm
 * ```
 */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    assertChannelsLast(tf.Conv2DBackpropInput, dataFormat);
    const g = convGeometry(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false);
    assertGradientShape(tf.Conv2DBackpropInput, dy, g, filter.shape[3] as number);
    const heap = WasmHeap.of(backend);
    try {
      const [kh, kw, inChannels, outChannels] = filter.shape as [number, number, number, number];
      const flipped = heap.alloc([kh, kw, outChannels, inChannels]);
      flipAndSwapFilter(heap.f32(filter), heap.f32(flipped), kh, kw, inChannels, outChannels);
      const dx = transposedConvolution(heap, tf.Conv2D, dy, flipped, g);
      return heap.keep(dx);
    } finally {
      heap.disposeTemporaries();
    }
  },
};

/**
 * The input gradient of a forward conv with geometry `g`, as a stride-1 'valid' convolution
 * (`kernelName`: Conv2D or DepthwiseConv2dNative) of the spread and padded dy by `flippedFilter`.
 * Returns a temporary of `heap` with shape `[N, H, W, channels of the convolution's output]`.
 */
export function transposedConvolution(
  heap: WasmHeap,
  kernelName: string,
  dy: tf.TensorInfo,
  flippedFilter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const reachHeight = (g.filterHeight - 1) * g.dilationHeight;
  const reachWidth = (g.filterWidth - 1) * g.dilationWidth;
  const top = reachHeight - g.padTop;
  const left = reachWidth - g.padLeft;
  const bottom = g.inHeight + reachHeight - top - (g.outHeight - 1) * g.strideHeight - 1;
  const right = g.inWidth + reachWidth - left - (g.outWidth - 1) * g.strideWidth - 1;
  const attrs = { strides: [1, 1], dilations: [g.dilationHeight, g.dilationWidth], dataFormat: 'NHWC' };
  const channels = dy.shape[3] as number;
  if (g.strideHeight === 1 && g.strideWidth === 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
    const pad = [[0, 0], [top, bottom], [left, right], [0, 0]];
    return heap.run(kernelName, { x: dy, filter: flippedFilter }, { ...attrs, pad });
  }
  const rows = { count: g.outHeight, offset: top, step: g.strideHeight, size: g.inHeight + reachHeight };
  const cols = { count: g.outWidth, offset: left, step: g.strideWidth, size: g.inWidth + reachWidth };
  const spread = heap.alloc([g.batch, rows.size, cols.size, channels]);
  spreadWithZeros(heap.f32(dy), heap.f32(spread), g.batch, rows, cols, channels);
  return heap.run(kernelName, { x: spread, filter: flippedFilter }, { ...attrs, pad: 'valid' });
}
