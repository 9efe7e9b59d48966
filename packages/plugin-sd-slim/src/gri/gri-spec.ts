import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { LayerSpec } from '@whittle/graph';
import { GriAttention } from './gri-attention.js';
import { SpatialSelfAttention } from '../layers/spatial-self-attention.js';

/**
 * The `replaceLayer` spec that swaps a `SpatialSelfAttention` for `GriAttention` with the same
 * projection weights (its own, not copies: keep the source model alive through the surgery).
 *
 * ```ts
 * const faster = await replaceLayer(unet, 'mid_attn_self_attn', griSpec(unet.getLayer('mid_attn_self_attn'), { window: 4, poolStride: 2 }));
 * ```
 */
export function griSpec(layer: tf.layers.Layer, geometry: { readonly window: number; readonly poolStride: number }): LayerSpec {
  if (!(layer instanceof SpatialSelfAttention) || layer.getClassName() !== SpatialSelfAttention.className) {
    throw inputError('GRI_NOT_SELF_ATTENTION', `layer "${layer.name}" (${layer.getClassName()}) is not a SpatialSelfAttention`, 'GRI attention replaces self-attention layers.');
  }
  return {
    className: GriAttention.className,
    config: { heads: layer.heads, units: layer.units ?? null, innerDim: layer.innerDim ?? null, window: geometry.window, poolStride: geometry.poolStride },
    weights: layer.getWeights(),
  };
}
