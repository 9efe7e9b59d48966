import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/**
 * An `Identity` for the wasm backend that shares the input's memory (one more reference) instead
 * of copying it, as the cpu backend does. The engine clones every tensor it saves for the backward
 * pass through this kernel, so on wasm a training step otherwise copies each saved activation.
 * Tensors are immutable, so sharing is safe; wasm's own `Reshape` shares memory the same way.
 *
 * ```ts
 * tf.registerKernel(aliasingIdentityConfig);
 * tf.clone(x); // no copy
 * ```
 */
export const aliasingIdentityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs['x'] as tf.TensorInfo;
    WasmHeap.of(backend).backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  },
};
