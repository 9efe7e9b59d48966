import * as tf from '@tensorflow/tfjs';
import { assertGradientShape, convGeometry } from './conv-geometry.js';
import { moveBatchInside } from './heap-layout.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend (stock wasm has none), computed by ONE
 * forward depthwise convolution on XNNPACK:
 *
 *   dW[kh, kw, c, m] = Σ_n Σ_{oh, ow} x[n, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, c] · dy[n, oh, ow, c·M + m]
 *
 * The inner sum is a depthwise convolution of x with the batch moved into the channels
 * (`[1, H, W, n·C]`) by dy laid out as a depthwise filter (`[OH, OW, n·C, M]`), with the forward
 * stride as dilation; the outer sum over n is taken while cropping the result to `[KH, KW, C, M]`.
 *
 * ```ts
 * tf.registerKernel(depthwiseBackpropFilterConfig);
 * tf.grad((w: tf.Tensor4D) => tf.depthwiseConv2d(x, w, 1, 'same').sum())(w); // now runs on wasm
 * ```
 */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const g = convGeometry(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true);
    const multiplier = filterShape[3];
    assertGradientShape(tf.DepthwiseConv2dNativeBackpropFilter, dy, g, g.inChannels * multiplier);
    const heap = WasmHeap.of(backend);
    try {
      const channels = g.inChannels;
      const image = heap.alloc([1, g.inHeight, g.inWidth, g.batch * channels]);
      const dyAsFilter = heap.alloc([g.outHeight, g.outWidth, g.batch * channels, multiplier]);
      moveBatchInside(heap.f32(x), heap.f32(image), g.batch, g.inHeight * g.inWidth, channels);
      moveBatchInside(heap.f32(dy), heap.f32(dyAsFilter), g.batch, g.outHeight * g.outWidth, channels * multiplier);
      const padBottom = Math.max(0, (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1 - g.inHeight - g.padTop);
      const padRight = Math.max(0, (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1 - g.inWidth - g.padLeft);
      const taps = heap.run(
        tf.DepthwiseConv2dNative,
        { x: image, filter: dyAsFilter },
        {
          strides: [g.dilationHeight, g.dilationWidth],
          dilations: [g.strideHeight, g.strideWidth],
          pad: [[0, 0], [g.padTop, padBottom], [g.padLeft, padRight], [0, 0]],
        },
      );
      const dw = heap.keep(heap.alloc([g.filterHeight, g.filterWidth, channels, multiplier]));
      sumOverBatch(heap.f32(taps), heap.f32(dw), taps.shape[2] as number, g.filterHeight, g.filterWidth, g.batch, channels * multiplier);
      return dw;
    } finally {
      heap.disposeTemporaries();
    }
  },
};

/** `src[kh, kw, n, k]` (rows × cols, cropped to height × width) summed over n into `dst[kh, kw, k]`. */
function sumOverBatch(src: Float32Array, dst: Float32Array, cols: number, height: number, width: number, batch: number, size: number): void {
  // Small integers (Smis) for fast loops; see channel-loops.ts.
  [cols, height, width, batch, size] = [cols | 0, height | 0, width | 0, batch | 0, size | 0];
  for (let kh = 0; kh < height; kh++) {
    for (let kw = 0; kw < width; kw++) {
      const s0 = (kh * cols + kw) * batch * size;
      const d0 = (kh * width + kw) * size;
      for (let k = 0; k < size; k++) {
        let acc = 0;
        for (let n = 0; n < batch; n++) acc += src[s0 + n * size + k] as number;
        dst[d0 + k] = acc;
      }
    }
  }
}
