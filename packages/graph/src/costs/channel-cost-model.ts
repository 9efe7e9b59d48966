import type { GraphLayer } from '../graph/model-graph.js';
import type { CostFunction } from '../layers/layer-operation.js';
import { LayerOperations } from '../layers/layer-operations.js';

export type { Cost, CostFunction } from '../layers/layer-operation.js';

/**
 * How one layer's parameters and MACs depend on its channel counts — its layer operation's
 * `channelCost` — following the MAC convention of `layerCosts` (convs, dense and depthwise count;
 * BatchNorm, activations, pooling and merges cost 0 MACs). MACs are summed over the layer's calls.
 * Returns undefined for layers whose cost does not depend on channels.
 *
 * ```ts
 * const cost = channelCostModel(graph.layer('conv1'))!;
 * cost(16, 32).params; // 3·3·16·32 + 32
 * ```
 */
export function channelCostModel(layer: GraphLayer, ops: LayerOperations = LayerOperations.builtIn): CostFunction | undefined {
  return ops.get(layer.className)?.channelCost?.(layer);
}
