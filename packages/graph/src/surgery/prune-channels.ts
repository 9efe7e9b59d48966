import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ChannelAnalysis } from '../channels/channel-analysis.js';
import { ModelGraph } from '../graph/model-graph.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { numberField } from '../topology/keras-json.js';
import { resolvePlan, type ChannelPlan } from './channel-plan.js';
import { liveWeights, rebuildModel, type NamedTensor } from './model-rebuild.js';
import { sliceLayerWeights, type LayerKeep } from './weight-slicer.js';

/**
 * Physically removes channels: returns a new, smaller LayersModel in which the planned channels of
 * each dependency group are gone from every layer of the group (producer filters/units, BatchNorm
 * statistics, depthwise channels, consumer input slices, Flatten→Dense rows). Its outputs equal the
 * original model's with those channels' contributions removed. The original model is not modified;
 * the caller owns (and disposes) the returned model. An empty plan returns an identical copy.
 * `ops` (default: the built-ins) says how each layer class is resized and sliced.
 *
 * ```ts
 * const groups = dependencyGroups(model).filter((g) => g.prunable);
 * const smaller = await pruneChannels(model, new Map([[groups[0]!.id, [0, 1]]]));
 * ```
 */
export async function pruneChannels(model: tf.LayersModel, plan: ChannelPlan, ops: LayerOperations = LayerOperations.builtIn): Promise<tf.LayersModel> {
  const graph = ModelGraph.fromModel(model);
  const analysis = ChannelAnalysis.of(graph, ops);
  const removed = resolvePlan(analysis, plan);
  const emptied = analysis.findEmptied(removed);
  if (emptied !== undefined) {
    throw inputError('PLAN_EMPTIES_LAYER', `channel plan removes every channel of layer "${emptied.layer}" (groups ${emptied.groups.map((g) => `"${g}"`).join(', ')})`,
      `Keep at least one of the channels that reach "${emptied.layer}".`);
  }
  const document = graph.document.clone();
  const created: tf.Tensor[] = [];
  try {
    const weights: NamedTensor[] = [];
    for (const entry of document.layers) {
      const channels = analysis.layer(entry.name);
      const keep: LayerKeep = {
        in: channels?.in === undefined ? null : analysis.keep(channels.in, removed),
        out: channels?.out === undefined ? null : analysis.keep(channels.out, removed),
        multiplier: numberField(entry.config, 'depth_multiplier') ?? 1,
      };
      const op = ops.get(entry.class_name);
      if (channels !== undefined && channels.rule.kind !== 'opaque') op?.resizeConfig?.(entry.config, keep);
      weights.push(...sliceLayerWeights(entry.class_name, op, liveWeights(model, entry.name), keep, created));
    }
    return await rebuildModel(document, weights);
  } finally {
    for (const tensor of created) tensor.dispose();
  }
}
