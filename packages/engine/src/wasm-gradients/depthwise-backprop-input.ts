import * as tf from '@tensorflow/tfjs';
import { assertGradientShape, convGeometry } from './conv-geometry.js';
import { flipSpatially } from './heap-layout.js';
import { transposedConvolution } from './transposed-convolution.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend (stock wasm has none): depthwise
 * convolutions of dy by the spatially flipped filter, viewed as multiplier 1 over C·M channels (one
 * per output phase for strides > 1, see transposed-convolution.ts); with a depth multiplier M > 1
 * the M channels of each input channel are then summed.
 *
 * ```ts
 * tf.registerKernel(depthwiseBackpropInputConfig);
 * tf.grad((x: tf.Tensor4D) => tf.depthwiseConv2d(x, w, 2, 'same').sum())(x); // now runs on wasm
 * ```
 */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const g = convGeometry(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true);
    const [kh, kw, channels, multiplier] = filter.shape as [number, number, number, number];
    assertGradientShape(tf.DepthwiseConv2dNativeBackpropInput, dy, g, channels * multiplier);
    const heap = WasmHeap.of(backend);
    try {
      const flipped = heap.alloc([kh, kw, channels * multiplier, 1]);
      flipSpatially(heap.f32(filter), heap.f32(flipped), kh, kw, channels * multiplier);
      const spreadGrad = transposedConvolution(heap, tf.DepthwiseConv2dNative, dy, flipped, g);
      if (multiplier === 1) return heap.keep(spreadGrad);
      const dx = heap.keep(heap.alloc([g.batch, g.inHeight, g.inWidth, channels]));
      sumGroups(heap.f32(spreadGrad), heap.f32(dx), multiplier);
      return dx;
    } finally {
      heap.disposeTemporaries();
    }
  },
};

/** `dst[i, c] = Σ_m src[i, c·M + m]`. */
function sumGroups(src: Float32Array, dst: Float32Array, multiplier: number): void {
  multiplier |= 0;
  let s = 0;
  for (let d = 0; d < dst.length; d++) {
    let acc = 0;
    for (let m = 0; m < multiplier; m++) acc += src[s++] as number;
    dst[d] = acc;
  }
}
