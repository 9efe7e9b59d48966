import * as tf from '@tensorflow/tfjs';
import { memberIndices, type DependencyGroup } from '@whittle/graph';

export type FilterNorm = 'l1' | 'l2sq';

/** Which weight holds a producer's filters, and on which axis its output channels lie. */
function filterWeights(layer: tf.layers.Layer): { kernel: tf.Tensor; axis: number } | undefined {
  const weights = layer.getWeights();
  switch (layer.getClassName()) {
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Dense':
      return { kernel: weights[0]!, axis: weights[0]!.rank - 1 };
    case 'SeparableConv2D': // [depthwise, pointwise, bias?]: the pointwise kernel produces
      return { kernel: weights[1]!, axis: 3 };
    case 'Conv2DTranspose': // kernel [kh, kw, out, in]
      return { kernel: weights[0]!, axis: 2 };
    default:
      return undefined;
  }
}

/**
 * Per-channel filter magnitude of a dependency group: for every producer with weights (conv, dense,
 * separable pointwise, transposed conv), the L1 norm (or squared L2 norm) of each output filter, summed
 * over the group's coupled producers (the branches of a residual Add share a channel). Producers
 * without weights (model inputs) add nothing.
 *
 * ```ts
 * const norms = groupChannelNorms(model, group, 'l1'); // Float32Array(group.channels)
 * ```
 */
export function groupChannelNorms(model: tf.LayersModel, group: DependencyGroup, norm: FilterNorm): Float32Array {
  const out = new Float32Array(group.channels);
  for (const member of group.members) {
    if (member.role !== 'producer') continue;
    const filters = filterWeights(model.getLayer(member.layer));
    if (filters === undefined) continue;
    const perFilter = tf.tidy(() => {
      const axes = [...Array(filters.kernel.rank).keys()].filter((a) => a !== filters.axis);
      return (norm === 'l1' ? filters.kernel.abs() : filters.kernel.square()).sum(axes);
    });
    const values = perFilter.dataSync();
    perFilter.dispose();
    for (let c = 0; c < group.channels; c++) {
      for (const index of memberIndices(member, c)) out[c]! += values[index]!;
    }
  }
  return out;
}
