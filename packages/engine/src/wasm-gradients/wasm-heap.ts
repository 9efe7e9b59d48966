import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Low-level access to the wasm backend from inside a kernel: run another registered wasm kernel
 * without going through the engine (no tape, no profiler, no tracking), allocate outputs, and view
 * tensors' memory on the wasm heap as a Float32Array.
 *
 * ```ts
 * const heap = new WasmHeap(backend);
 * const y = heap.run('Conv2D', { x, filter }, { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC' });
 * heap.f32(y)[0];
 * heap.disposeTemporaries();
 * ```
 */
export class WasmHeap {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** The kernel's `backend` argument, checked to be the wasm backend. */
  static of(backend: object): WasmHeap {
    const candidate = backend as Partial<BackendWasm>;
    if (candidate.dataIdMap === undefined || candidate.makeOutput === undefined || candidate.typedArrayFromHeap === undefined) {
      throw new Error('Whittle wasm gradient kernels were called with a backend that is not tfjs-backend-wasm');
    }
    return new WasmHeap(backend as BackendWasm);
  }

  /** A fresh float32 tensor on the heap, disposed by `disposeTemporaries` unless `keep` is called. */
  alloc(shape: readonly number[]): tf.TensorInfo {
    const info = this.backend.makeOutput(shape.slice(), 'float32');
    this.temporaries.push(info);
    return info;
  }

  /** Runs the wasm kernel currently registered under `kernelName`; its output is a temporary. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, 'wasm');
    if (config === undefined) throw new Error(`wasm kernel '${kernelName}' is not registered`);
    return this.runConfig(config, inputs, attrs);
  }

  /** Runs a given kernel config (e.g. a stock kernel that has since been replaced). */
  runConfig(config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`wasm kernel '${config.kernelName}' returned several outputs`);
    this.temporaries.push(out);
    return out;
  }

  /**
   * A live Float32Array view of a tensor's memory. Take views only after the last allocation of a
   * kernel: growing the wasm memory detaches earlier views.
   */
  f32(info: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info) as Float32Array;
  }

  /** Removes `info` from the temporaries, so that it survives as the kernel's output. */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const index = this.temporaries.indexOf(info);
    if (index >= 0) this.temporaries.splice(index, 1);
    return info;
  }

  disposeTemporaries(): void {
    for (const info of this.temporaries) this.backend.disposeData(info.dataId);
    this.temporaries.length = 0;
  }
}
