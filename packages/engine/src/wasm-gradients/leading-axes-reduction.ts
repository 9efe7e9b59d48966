import * as tf from '@tensorflow/tfjs';
import { sumColumns } from './channel-loops.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `Sum` or `Mean` for the wasm backend that reduces float32 NHWC data over its leading axes
 * (N, H, W: BatchNormalization's moments and the gradients of per-channel parameters) in one pass,
 * where the stock kernel first transposes the whole tensor so that the reduced axes come last.
 * Other reductions run the stock kernel `original`.
 *
 * ```ts
 * tf.registerKernel(leadingAxesReductionConfig(tf.getKernel('Sum', 'wasm')!, 'sum'));
 * tf.sum(x, [0, 1, 2]); // one pass, no transpose
 * ```
 */
export function leadingAxesReductionConfig(original: tf.KernelConfig, reduction: 'sum' | 'mean'): tf.KernelConfig {
  const config: tf.KernelConfig = {
    kernelName: original.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs['x'] as tf.TensorInfo;
      const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
      const heap = WasmHeap.of(backend);
      const reduced = x.dtype === 'float32' ? leadingAxesCount(x.shape, axis) : 0;
      if (reduced === 0) return heap.keep(heap.runConfig(original, inputs, attrs));
      const rows = x.shape.slice(0, reduced).reduce((a, b) => a * b, 1);
      const kept = x.shape.slice(reduced);
      const channels = kept.reduce((a, b) => a * b, 1);
      const outShape = keepDims ? [...x.shape.slice(0, reduced).map(() => 1), ...kept] : kept;
      const out = heap.backend.makeOutput(outShape, 'float32');
      const sums = new Float64Array(channels);
      sumColumns(heap.f32(x), rows, channels, sums);
      const outValues = heap.f32(out);
      const divisor = reduction === 'mean' ? rows : 1;
      for (let c = 0; c < channels; c++) outValues[c] = (sums[c] as number) / divisor;
      return out;
    },
  };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  return config;
}

/**
 * How many leading axes `axis` reduces, when it is exactly 0..k−1 with 0 < k < rank; otherwise 0.
 */
function leadingAxesCount(shape: readonly number[], axis: number | number[]): number {
  const axes = tf.util.parseAxisParam(axis, shape.slice()).slice().sort((a, b) => a - b);
  const count = axes.length;
  if (count === 0 || count >= shape.length) return 0;
  return axes.every((a, i) => a === i) ? count : 0;
}
