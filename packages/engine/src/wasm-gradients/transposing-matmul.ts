import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/**
 * A `BatchMatMul` or `_FusedMatMul` for the wasm backend that transposes a transposed operand
 * first and then runs the stock kernel without transposes. The stock kernels' transposed-operand
 * path is a plain loop, about 12× slower than XNNPACK's (a 64×12,544 Gram matrix: 65 ms against
 * 5 ms); tfjs's matMul gradient uses exactly that path for both operands, so every Dense layer's
 * backward pass, every attention score `q·kᵀ` and every Gram matrix paid for it. The copy costs one
 * pass over the operand.
 *
 * ```ts
 * tf.registerKernel(transposingMatMulConfig(tf.getKernel('BatchMatMul', 'wasm')!));
 * ```
 */
export function transposingMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const config: tf.KernelConfig = {
    kernelName: original.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      const heap = WasmHeap.of(backend);
      if (!transposeA && !transposeB) return heap.keep(heap.runConfig(original, inputs, attrs));
      const a = inputs['a'] as tf.TensorInfo;
      const b = inputs['b'] as tf.TensorInfo;
      const operands = {
        ...inputs,
        a: transposeA ? heap.run(tf.Transpose, { x: a }, { perm: swapLastAxes(a.shape.length) }) : a,
        b: transposeB ? heap.run(tf.Transpose, { x: b }, { perm: swapLastAxes(b.shape.length) }) : b,
      };
      const out = heap.keep(heap.runConfig(original, operands, { ...attrs, transposeA: false, transposeB: false }));
      heap.disposeTemporaries();
      return out;
    },
  };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  return config;
}

/** The permutation that swaps the last two of `rank` axes. */
function swapLastAxes(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
