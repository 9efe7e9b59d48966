import * as tf from '@tensorflow/tfjs';
import { isPerChannel } from './batch-norm-forward.js';
import { scaleColumns, sumColumnsAndCentredDot } from './channel-loops.js';
import { WasmHeap } from './wasm-heap.js';

/** Name of the fused batch-norm gradient kernel registered for wasm. */
const FUSED_BATCH_NORM_GRAD = 'WhittleFusedBatchNormGrad';

/**
 * The whole gradient of `FusedBatchNorm` in two passes over (x, dy), as one wasm kernel. With
 * r = 1/√(σ²+ε) and g = γ (1 without scale), per channel:
 *
 *   dx = dy·g·r,  dμ = −g·r·Σdy,  dσ² = −½·g·r³·Σdy(x−μ),  dγ = r·Σdy(x−μ),  dβ = Σdy
 *
 * exactly the quantities of tfjs's own FusedBatchNorm gradient, which takes about fifteen
 * full-size passes (several of them transposes inside `Sum`). Outputs `[dx, dμ, dσ², dγ, dβ]`,
 * the last four of shape `[C]`.
 *
 * ```ts
 * tf.registerKernel(fusedBatchNormGradKernelConfig);
 * const [dx] = tf.engine().runKernel(FUSED_BATCH_NORM_GRAD, { x, dy, mean, variance }, { varianceEpsilon: 1e-3 }) as tf.Tensor[];
 * ```
 */
export const fusedBatchNormGradKernelConfig: tf.KernelConfig = {
  kernelName: FUSED_BATCH_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy, mean, variance, scale } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo; mean: tf.TensorInfo; variance: tf.TensorInfo; scale?: tf.TensorInfo };
    const epsilon = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
    const heap = WasmHeap.of(backend);
    const channels = x.shape[x.shape.length - 1] as number;
    const rows = tf.util.sizeFromShape(x.shape) / channels;
    const outputs = [heap.backend.makeOutput(x.shape.slice(), 'float32')];
    for (let i = 0; i < 4; i++) outputs.push(heap.backend.makeOutput([channels], 'float32'));
    const [dx, dMean, dVariance, dScale, dOffset] = outputs.map((o) => heap.f32(o)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const mu = heap.f32(mean);
    const v = heap.f32(variance);
    const gamma = scale === undefined ? undefined : heap.f32(scale);
    const sums = new Float64Array(channels);
    const centredDot = new Float64Array(channels);
    const dyValues = heap.f32(dy);
    sumColumnsAndCentredDot(heap.f32(x), dyValues, mu, rows, channels, sums, centredDot);
    const dxScale = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      const r = 1 / Math.sqrt((v[c] as number) + epsilon);
      const g = gamma === undefined ? 1 : (gamma[c] as number);
      const s = sums[c] as number;
      const d = centredDot[c] as number;
      dxScale[c] = g * r;
      dMean[c] = -g * r * s;
      dVariance[c] = -0.5 * g * r * r * r * d;
      dScale[c] = r * d;
      dOffset[c] = s;
    }
    scaleColumns(dyValues, dx, rows, channels, dxScale);
    return outputs;
  },
};

/**
 * The gradient of `FusedBatchNorm` through the fused kernel above when the active backend is wasm,
 * the statistics are per channel and no outer gradient is being recorded; otherwise tfjs's own
 * gradient `stock`.
 *
 * ```ts
 * tf.registerGradient(fusedBatchNormGradConfig(tf.getGradient('FusedBatchNorm')!));
 * ```
 */
export function fusedBatchNormGradConfig(stock: tf.GradConfig): tf.GradConfig {
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      const dyTensor = dy as tf.Tensor;
      // While a tape records (a gradient of this gradient), only tfjs's op-built gradient is differentiable.
      if (tf.getBackend() !== 'wasm' || tf.engine().isTapeOn() || !isPerChannel(x, [mean, variance, scale])) return stock.gradFunc(dy, saved, attrs);
      const inputs: tf.NamedTensorMap = { x, dy: dyTensor, mean, variance };
      if (scale != null) inputs['scale'] = scale;
      const [dx, dMean, dVariance, dScale, dOffset] = tf.engine().runKernel(FUSED_BATCH_NORM_GRAD, inputs, attrs) as tf.Tensor[];
      return {
        x: () => tf.reshape(dx as tf.Tensor, x.shape),
        mean: () => tf.reshape(dMean as tf.Tensor, mean.shape),
        variance: () => tf.reshape(dVariance as tf.Tensor, variance.shape),
        scale: () => tf.reshape(dScale as tf.Tensor, scale?.shape ?? mean.shape),
        offset: () => tf.reshape(dOffset as tf.Tensor, mean.shape),
      };
    },
  };
}
