import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ChannelAnalysis } from '../channels/channel-analysis.js';
import type { DependencyGroup } from '../channels/dependency-group.js';
import { ModelGraph } from '../graph/model-graph.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { channelCostModel } from './channel-cost-model.js';

/** What one layer of a group saves when one channel of the group is removed. */
export interface LayerChannelCost {
  readonly layer: string;
  readonly params: number;
  readonly macs: number;
}

/**
 * The price of one channel of a dependency group: the parameters and MACs (one example, metrics
 * convention) that removing one of its channels saves, in total and per layer. Exact when no other
 * group is pruned; pruning two coupled groups also removes their shared kh·kw cross terms once.
 * When channels differ in price (a split concatenation), these are averages over the channels.
 */
export interface GroupCost {
  readonly group: string;
  readonly channels: number;
  readonly params: number;
  readonly macs: number;
  readonly layers: readonly LayerChannelCost[];
}

function countByClass(analysis: ChannelAnalysis, layout: Int32Array | undefined): Map<number, number> {
  const counts = new Map<number, number>();
  for (const atom of layout ?? []) {
    const cls = analysis.classOf(atom);
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
  }
  return counts;
}

/**
 * Per-channel parameter and MAC savings of each group (default: every group of the model), the
 * numbers a pruner weighs channels by. `ops`: the layer operations (default: built-ins).
 *
 * ```ts
 * const costs = groupCosts(model);
 * // conv1 (3×3, 3 → 16) → bn1 → conv2 (3×3, 16 → 32, no bias) on 32×32:
 * costs.find((c) => c.group === 'conv1'); // { group: 'conv1', channels: 16, params: 320, macs: 322560, layers: [...] }
 * ```
 */
export function groupCosts(model: tf.LayersModel, groups?: readonly (DependencyGroup | string)[], ops: LayerOperations = LayerOperations.builtIn): GroupCost[] {
  const graph = ModelGraph.fromModel(model);
  const analysis = ChannelAnalysis.of(graph, ops);
  const wanted = groups === undefined ? analysis.groups.map((g) => g.id) : groups.map((g) => (typeof g === 'string' ? g : g.id));
  return wanted.map((id) => {
    const group = analysis.group(id);
    if (group === undefined) {
      throw inputError('GRAPH_UNKNOWN_GROUP', `groupCosts: model "${graph.document.name}" has no group "${id}"`, 'Use ids from dependencyGroups(model).');
    }
    const classes = analysis.groupClasses(id);
    const layers: LayerChannelCost[] = [];
    for (const name of new Set(group.members.map((m) => m.layer))) {
      const channels = analysis.layer(name);
      const cost = channelCostModel(graph.layer(name), ops);
      if (channels === undefined || cost === undefined) continue;
      const inCounts = countByClass(analysis, channels.in);
      const outCounts = countByClass(analysis, channels.out);
      const width = { in: channels.in?.length ?? 0, out: channels.out?.length ?? 0 };
      const full = cost(width.in, width.out);
      let params = 0;
      let macs = 0;
      for (const cls of classes) {
        const less = cost(width.in - (inCounts.get(cls) ?? 0), width.out - (outCounts.get(cls) ?? 0));
        params += full.params - less.params;
        macs += full.macs - less.macs;
      }
      if (params !== 0 || macs !== 0) layers.push({ layer: name, params: params / classes.length, macs: macs / classes.length });
    }
    return {
      group: id,
      channels: group.channels,
      params: layers.reduce((s, l) => s + l.params, 0),
      macs: layers.reduce((s, l) => s + l.macs, 0),
      layers,
    };
  });
}
