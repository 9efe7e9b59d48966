import type * as tf from '@tensorflow/tfjs';
import { memberIndices, type DependencyGroup } from '../channels/dependency-group.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { filterMagnitudes, type FilterNorm } from './filter-magnitudes.js';

/**
 * Per-channel filter magnitude of a dependency group: for every producer with filters (conv, dense,
 * separable pointwise, transposed conv), the L1 norm (or squared L2 norm) of each output filter,
 * summed over the group's coupled producers (the branches of a residual Add share a channel).
 * Producers without weights (model inputs) add nothing. `ops`: the layer operations (default: built-ins).
 *
 * ```ts
 * const norms = await groupChannelNorms(model, group, 'l1'); // Float32Array(group.channels)
 * ```
 */
export async function groupChannelNorms(model: tf.LayersModel, group: DependencyGroup, norm: FilterNorm, ops: LayerOperations = LayerOperations.builtIn): Promise<Float32Array> {
  const out = new Float32Array(group.channels);
  for (const member of group.members) {
    if (member.role !== 'producer') continue;
    const magnitudes = await filterMagnitudes(model.getLayer(member.layer), norm, ops);
    if (magnitudes === undefined) continue;
    for (let c = 0; c < group.channels; c++) {
      for (const index of memberIndices(member, c)) out[c]! += magnitudes[index]!;
    }
  }
  return out;
}
