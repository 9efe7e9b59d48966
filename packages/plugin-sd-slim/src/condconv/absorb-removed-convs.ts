import * as tf from '@tensorflow/tfjs';
import { ModelGraph, replaceLayer, type BlockBounds } from '@whittle/graph';
import { branchLayers } from '../blocks/remove-blocks.js';
import { condConvSpec } from './cond-conv-spec.js';

/** Which kept convolution inherited which removed ones as experts. */
export interface CondConvAssignment {
  readonly kept: string;
  readonly experts: readonly string[];
}

const kernelShape = (layer: tf.layers.Layer): string => JSON.stringify((layer.getWeights()[0] as tf.Tensor).shape);
const isPlainConv = (layer: tf.layers.Layer): boolean => layer.getClassName() === 'Conv2D' && layer.getConfig()['activation'] === 'linear';

/**
 * CLME-CondConv after block removal: every plain Conv2D of the `removed` blocks' branches (in the
 * `original` model) becomes an expert of the kept Conv2D of `slim` with the same kernel shape that is
 * nearest to it in the original's graph order (cross-layer: the kept layer sits in another block).
 * Each chosen kept conv is replaced (graph surgery) by a `CondConv2D` initialised to compute
 * exactly what it computed. Removed convs with no same-shape kept conv stay removed. Returns a new
 * model (`slim` is left as it was) and the assignment.
 *
 * ```ts
 * const { model, assignments } = await absorbRemovedConvs(unet, slim, removedBlocks);
 * ```
 */
export async function absorbRemovedConvs(original: tf.LayersModel, slim: tf.LayersModel, removed: readonly BlockBounds[]): Promise<{ model: tf.LayersModel; assignments: CondConvAssignment[] }> {
  const order = new Map(ModelGraph.fromModel(original).nodes.map((n, i) => [n.layer, i] as const));
  const slimNames = new Set(slim.layers.map((l) => l.name));
  const candidates = original.layers.filter((l) => slimNames.has(l.name) && isPlainConv(l) && order.has(l.name));
  const experts = new Map<string, string[]>();
  for (const block of removed) {
    for (const name of branchLayers(original, block)) {
      const layer = original.getLayer(name);
      if (!isPlainConv(layer)) continue;
      const shape = kernelShape(layer);
      const position = order.get(name) ?? 0;
      let best: tf.layers.Layer | undefined;
      for (const kept of candidates) {
        if (kernelShape(kept) !== shape) continue;
        if (best === undefined || Math.abs((order.get(kept.name) ?? 0) - position) < Math.abs((order.get(best.name) ?? 0) - position)) best = kept;
      }
      if (best !== undefined) experts.set(best.name, [...(experts.get(best.name) ?? []), name]);
    }
  }
  let current = slim;
  const assignments: CondConvAssignment[] = [];
  try {
    for (const [kept, names] of experts) {
      const spec = condConvSpec(current.getLayer(kept), names.map((n) => original.getLayer(n)));
      try {
        const next = await replaceLayer(current, kept, spec);
        if (current !== slim) current.dispose();
        current = next;
      } finally {
        tf.dispose([...spec.weights]);
      }
      assignments.push({ kept, experts: names });
    }
    return { model: current, assignments };
  } catch (error) {
    if (current !== slim) current.dispose();
    throw error;
  }
}
