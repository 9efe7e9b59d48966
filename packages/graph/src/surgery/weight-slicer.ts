import * as tf from '@tensorflow/tfjs';
import { runtimeError } from '@whittle/kernel';
import type { AxisRole, LayerKeep, LayerOperation } from '../layers/layer-operation.js';
import type { NamedTensor } from './model-rebuild.js';

export type { LayerKeep } from '../layers/layer-operation.js';

function indicesFor(role: AxisRole, keep: LayerKeep): readonly number[] | null {
  if (role === 'in') return keep.in;
  if (role === 'out') return keep.out;
  if (keep.in === null) return null;
  const m = keep.multiplier;
  return keep.in.flatMap((c) => Array.from({ length: m }, (_, j) => c * m + j));
}

/**
 * The weights of one layer with the removed channels sliced out (`tf.gather` along each channel
 * axis its operation's `weightAxes` names). Unchanged weights are returned as they are; new tensors
 * are also pushed to `created` so the caller can dispose them once they are serialised.
 *
 * ```ts
 * const created: tf.Tensor[] = [];
 * const named = sliceLayerWeights('Conv2D', LayerOperations.builtIn.get('Conv2D'), conv.weights.map((w) => ({ name: w.originalName, value: w.read() })),
 *   { in: null, out: [0, 2], multiplier: 1 }, created);
 * ```
 */
export function sliceLayerWeights(
  className: string,
  op: LayerOperation | undefined,
  weights: readonly { readonly name: string; readonly value: tf.Tensor }[],
  keep: LayerKeep,
  created: tf.Tensor[],
): NamedTensor[] {
  if (keep.in === null && keep.out === null) return weights.map((w) => ({ name: w.name, tensor: w.value }));
  const table = op?.weightAxes;
  return weights.map(({ name, value }) => {
    const short = name.slice(name.lastIndexOf('/') + 1);
    const axes = table?.[short];
    if (axes === undefined) {
      throw runtimeError('GRAPH_UNKNOWN_WEIGHT', `cannot slice weight "${name}" of a ${className} layer`,
        `Its layer operation names no axes for weight "${short}" (weightAxes): add them, or give the operation no channel rule so the layer blocks pruning.`);
    }
    let tensor = value;
    for (const { axis, role, broadcast } of axes) {
      const indices = indicesFor(role, keep);
      if (indices === null || value.rank === 0) continue;
      const resolved = axis < 0 ? value.rank + axis : axis;
      if (broadcast === true && (value.shape[resolved] ?? 0) === 1) continue; // shared over the channels
      const next = tf.gather(tensor, Array.from(indices), resolved);
      if (tensor !== value) tensor.dispose();
      tensor = next;
    }
    if (tensor !== value) created.push(tensor);
    return { name, tensor };
  });
}
