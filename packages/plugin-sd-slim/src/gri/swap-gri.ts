import type * as tf from '@tensorflow/tfjs';
import { replaceLayer } from '@whittle/graph';
import { SpatialSelfAttention } from '../layers/spatial-self-attention.js';
import { griSpec } from './gri-spec.js';

/**
 * Replaces every `SpatialSelfAttention` of `model` whose feature map is larger than `window` on a
 * side by `GriAttention` with the same weights (maps that one window covers would compute the
 * same full attention, and are left alone). Returns a new model and the replaced layers' names.
 *
 * ```ts
 * const { model: faster, replaced } = await swapToGri(unet, { window: 4, poolStride: 2 });
 * ```
 */
export async function swapToGri(model: tf.LayersModel, geometry: { readonly window: number; readonly poolStride: number }): Promise<{ model: tf.LayersModel; replaced: string[] }> {
  const targets = model.layers.filter((l) => {
    if (!(l instanceof SpatialSelfAttention) || l.getClassName() !== SpatialSelfAttention.className) return false;
    const shape = (l.getInputAt(0) as tf.SymbolicTensor).shape;
    return (shape[1] ?? 0) > geometry.window || (shape[2] ?? 0) > geometry.window;
  }).map((l) => l.name);
  let current = model;
  try {
    for (const name of targets) {
      const next = await replaceLayer(current, name, griSpec(current.getLayer(name), geometry));
      if (current !== model) current.dispose();
      current = next;
    }
    return { model: current, replaced: targets };
  } catch (error) {
    if (current !== model) current.dispose();
    throw error;
  }
}
