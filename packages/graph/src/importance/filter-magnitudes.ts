import type * as tf from '@tensorflow/tfjs';
import { LayerOperations } from '../layers/layer-operations.js';

/** How a filter's size is measured: squared L2 norm (LAMP's w², the default) or L1 norm. */
export type FilterNorm = 'l2sq' | 'l1';

/**
 * Whether `filterMagnitudes` can measure this layer class: its layer operation in `ops` (default:
 * the built-ins) says where its filters are.
 *
 * ```ts
 * hasFilters('Conv2D'); // true
 * hasFilters('BatchNormalization'); // false
 * ```
 */
export function hasFilters(className: string, ops: LayerOperations = LayerOperations.builtIn): boolean {
  return ops.get(className)?.filters !== undefined;
}

/**
 * The current value of one of a layer's weights by name suffix (no new tensor is created).
 *
 * ```ts
 * layerWeight(model.getLayer('stem_bn'), '/gamma')?.shape; // [16]
 * ```
 */
export function layerWeight(layer: tf.layers.Layer, suffix: string): tf.Tensor | undefined {
  return layer.weights.find((w) => w.originalName.endsWith(suffix))?.read();
}

/**
 * The size of every output filter of a layer: `‖F_o‖²` (l2sq) or `‖F_o‖₁` (l1) over all weights
 * that write output channel o (bias excluded, as LAMP scores weights). Works for Dense, Conv1D/2D/3D,
 * Conv2D/3DTranspose, SeparableConv2D (pointwise kernel) and DepthwiseConv2D (channel o = c·m + j),
 * and any class whose layer operation in `ops` names its `filters`. Undefined for other layers. Reads the weights (asynchronously, so GPU backends do not block); creates no tensors.
 *
 * ```ts
 * await filterMagnitudes(model.getLayer('stem_conv'), 'l2sq'); // Float64Array(16) of squared filter norms
 * ```
 */
export async function filterMagnitudes(layer: tf.layers.Layer, norm: FilterNorm, ops: LayerOperations = LayerOperations.builtIn): Promise<Float64Array | undefined> {
  const spec = ops.get(layer.getClassName())?.filters;
  if (spec === undefined) return undefined;
  const kernel = layerWeight(layer, spec.suffix);
  if (kernel === undefined) return undefined;
  const shape = kernel.shape;
  const axis = shape.length - spec.fromEnd;
  const channels = spec.flattenLastTwo === true ? (shape[axis - 1] as number) * (shape[axis] as number) : (shape[axis] as number);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const values = await kernel.data();
  const out = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const o = Math.floor(i / inner) % channels;
    out[o] = (out[o] as number) + (norm === 'l1' ? Math.abs(v) : v * v);
  }
  return out;
}

/**
 * The scale a BatchNormalization applies to each channel at inference, `|γ| / sqrt(var + ε)`
 * (γ = 1 when the layer has no scale), so that a filter's size can be measured after folding.
 *
 * ```ts
 * await batchNormScale(model.getLayer('stem_bn')); // Float64Array(16)
 * ```
 */
export async function batchNormScale(layer: tf.layers.Layer): Promise<Float64Array> {
  const variance = (await layerWeight(layer, '/moving_variance')?.data()) ?? new Float32Array();
  const gamma = await layerWeight(layer, '/gamma')?.data();
  const config = layer.getConfig() as { epsilon?: number };
  const epsilon = typeof config.epsilon === 'number' ? config.epsilon : 1e-3;
  return Float64Array.from(variance, (v, c) => Math.abs(gamma === undefined ? 1 : (gamma[c] as number)) / Math.sqrt(v + epsilon));
}
