import type * as tf from '@tensorflow/tfjs';
import { ModelGraph } from '../graph/model-graph.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { ChannelAnalysis } from './channel-analysis.js';
import type { DependencyGroup } from './dependency-group.js';

/**
 * The dependency groups of a model: every set of channels that must be removed together, whether
 * it can be pruned, and if not, why. Groups come in topological order of their first producer.
 * `ops` says what each layer class does to channels (default: the built-in layer operations; pass
 * `layerOperationsOf(kernel.registry)` for models with plugins' custom layers).
 *
 * ```ts
 * for (const g of dependencyGroups(model)) {
 *   console.log(g.id, g.channels, g.prunable ? 'prunable' : g.blockedBy.join('; '));
 * }
 * ```
 */
export function dependencyGroups(model: tf.LayersModel, ops: LayerOperations = LayerOperations.builtIn): DependencyGroup[] {
  return [...ChannelAnalysis.of(ModelGraph.fromModel(model), ops).groups];
}
