import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ChannelAnalysis } from '../channels/channel-analysis.js';
import { ModelGraph } from '../graph/model-graph.js';
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
 *
 * ```ts
 * const groups = dependencyGroups(model).filter((g) => g.prunable);
 * const smaller = await pruneChannels(model, new Map([[groups[0]!.id, [0, 1]]]));
 * ```
 */
export async function pruneChannels(model: tf.LayersModel, plan: ChannelPlan): Promise<tf.LayersModel> {
  const graph = ModelGraph.fromModel(model);
  const analysis = ChannelAnalysis.of(graph);
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
      if (channels?.rule.kind === 'producer' && keep.out !== null) {
        entry.config[entry.class_name === 'Dense' ? 'units' : 'filters'] = keep.out.length;
      }
      if (entry.class_name === 'Reshape' && keep.out !== null) {
        const target = entry.config['target_shape'];
        if (Array.isArray(target) && target.length > 0 && target[target.length - 1] !== -1) target[target.length - 1] = keep.out.length;
      }
      weights.push(...sliceLayerWeights(entry.class_name, liveWeights(model, entry.name), keep, created));
    }
    return await rebuildModel(document, weights);
  } finally {
    for (const tensor of created) tensor.dispose();
  }
}
