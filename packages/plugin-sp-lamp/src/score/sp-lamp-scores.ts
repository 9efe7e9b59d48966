import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups, memberIndices, ModelGraph, type DependencyGroup, type GroupMember } from '@whittle/graph';
import { batchNormScale, filterMagnitudes, hasFilters, type FilterNorm } from '@whittle/graph';
import { lampNormalise } from './lamp-normalise.js';

/**
 * How a group's channel score is formed from the SP-LAMP scores its weighted layers give it:
 * `max` (default) keeps "every group has a channel scoring 1" and ranks a channel by the layer
 * that needs it most; `mean` averages over the layers that write the channel.
 */
export type GroupCombine = 'max' | 'mean';

/** What `spLampScores` uses for an option left out; the `sp-lamp` stage's schema takes its defaults from here. */
export const SP_LAMP_DEFAULTS = { norm: 'l2sq', foldBatchNorm: false, combine: 'max' } as const;

export interface SpLampOptions {
  /** Filter size: `l2sq` (‖F‖², LAMP's w²; default) or `l1`. */
  readonly norm?: FilterNorm;
  /** Measure filters after folding the BatchNormalization that directly follows them. Default false. */
  readonly foldBatchNorm?: boolean;
  /** Default `max`. */
  readonly combine?: GroupCombine;
}

/** The layers of a group whose filters write its channels: producers, and depthwise convs inside it. */
function scoringMembers(graph: ModelGraph, group: DependencyGroup): Map<string, GroupMember[]> {
  const byLayer = new Map<string, GroupMember[]>();
  for (const member of group.members) {
    const className = graph.layer(member.layer).className;
    const writes = member.role === 'producer' || (member.role === 'passthrough' && className === 'DepthwiseConv2D');
    if (!writes || !hasFilters(className)) continue;
    byLayer.set(member.layer, [...(byLayer.get(member.layer) ?? []), member]);
  }
  return byLayer;
}

/** The BatchNormalization that reads a layer's (first) output directly, if any. */
function followingBatchNorm(graph: ModelGraph, layer: string): string | undefined {
  return graph.consumers({ layer, node: 0, tensor: 0 }).find((n) => n.className === 'BatchNormalization')?.layer;
}

/**
 * SP-LAMP importance of every prunable dependency group's channels (Pan et al. 2023, after LAMP).
 * For each weighted layer L that writes a group's channels (a producer: Dense, Conv, transposed
 * conv, separable conv's pointwise half; or a depthwise conv inside the group), the size of the
 * filters writing channel c, `m_c` (summed when a channel has several, e.g. a depth multiplier), is
 * LAMP-normalised over L's channels: sorted ascending, `s = m_(j) / Σ_{k ≥ j} m_(k)`, so L's largest
 * filter scores 1. The group's score of channel c combines the scores of the layers that write c
 * (`max` by default). Channels no weighted layer writes score 0. Unprunable groups are left out.
 *
 * ```ts
 * const scores = await spLampScores(model, { norm: 'l2sq', combine: 'max' });
 * scores.get('stem_conv'); // Float32Array(16), max 1
 * ```
 */
export async function spLampScores(model: tf.LayersModel, options: SpLampOptions = {}): Promise<Map<string, Float32Array>> {
  const norm = options.norm ?? SP_LAMP_DEFAULTS.norm;
  const combine = options.combine ?? SP_LAMP_DEFAULTS.combine;
  const graph = ModelGraph.fromModel(model);
  const scores = new Map<string, Float32Array>();
  for (const group of dependencyGroups(model)) {
    if (!group.prunable) continue;
    const total = new Float64Array(group.channels);
    const count = new Int32Array(group.channels);
    for (const [layerName, members] of scoringMembers(graph, group)) {
      const layer = model.getLayer(layerName);
      const magnitudes = await filterMagnitudes(layer, norm);
      if (magnitudes === undefined) continue;
      const bn = options.foldBatchNorm === true ? followingBatchNorm(graph, layerName) : undefined;
      if (bn !== undefined) {
        const scale = await batchNormScale(model.getLayer(bn));
        // The folded filter is F·scale: its L1 norm scales by `scale`, its squared L2 norm by scale².
        magnitudes.forEach((m, o) => (magnitudes[o] = m * (norm === 'l1' ? (scale[o] ?? 1) : (scale[o] ?? 1) ** 2)));
      }
      const channels: number[] = [];
      const sizes: number[] = [];
      for (let c = 0; c < group.channels; c++) {
        const indices = new Set(members.flatMap((m) => memberIndices(m, c)));
        if (indices.size === 0) continue;
        channels.push(c);
        sizes.push([...indices].reduce((sum, o) => sum + (magnitudes[o] ?? 0), 0));
      }
      const layerScores = lampNormalise(sizes);
      channels.forEach((c, i) => {
        const s = layerScores[i] as number;
        total[c] = combine === 'max' ? Math.max(total[c] as number, s) : (total[c] as number) + s;
        count[c] = (count[c] as number) + 1;
      });
    }
    scores.set(group.id, Float32Array.from(total, (t, c) => (combine === 'mean' && (count[c] as number) > 0 ? t / (count[c] as number) : t)));
  }
  return scores;
}
