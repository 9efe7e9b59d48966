import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/**
 * A `Cast` for the wasm backend that shares memory when the dtype does not change (tfjs's
 * `moments`, used by every BatchNormalization layer in training, casts float32 to float32), and
 * runs the stock kernel `original` otherwise.
 *
 * ```ts
 * tf.registerKernel(aliasingCastConfig(tf.getKernel('Cast', 'wasm')!));
 * ```
 */
export function aliasingCastConfig(original: tf.KernelConfig): tf.KernelConfig {
  const config: tf.KernelConfig = {
    kernelName: tf.Cast,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs['x'] as tf.TensorInfo;
      const heap = WasmHeap.of(backend);
      if ((attrs as unknown as tf.CastAttrs).dtype !== x.dtype) return heap.keep(heap.runConfig(original, inputs, attrs));
      heap.backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
    },
  };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  return config;
}
