import * as tf from '@tensorflow/tfjs';
import { assertChannelsLast, assertGradientShape, convGeometry } from './conv-geometry.js';
import { flipAndSwapFilter } from './heap-layout.js';
import { transposedConvolution } from './transposed-convolution.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `Conv2DBackpropInput` for the wasm backend (replaces the stock, much slower one), computed by
 * forward convolutions on XNNPACK of dy with the filter flipped in space and its channel axes
 * swapped: one for stride 1, one per output phase for larger strides (see transposed-convolution.ts).
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
