import type * as tf from '@tensorflow/tfjs';
import { memberIndices, type DependencyGroup, type GroupMember } from '../channels/dependency-group.js';
import { ModelGraph } from '../graph/model-graph.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { batchNormScale, filterMagnitudes, type FilterNorm } from './filter-magnitudes.js';
import { normaliseImportance, type ImportanceNormaliser } from './importance-normaliser.js';

/** How the magnitudes of a channel's filters in the group's members combine into one figure. */
export type ImportanceReduction = 'sum' | 'mean' | 'max';

/**
 * Filter-magnitude importance built from parts, as Torch-Pruning's `GroupMagnitudeImportance`
 * (and its `LAMPImportance` = magnitude p=2 with the `lamp` normaliser):
 * - `norm`: each filter's size, `l1` (p = 1, ‖F‖₁) or `l2sq` (p = 2, ‖F‖₂²), over the weights that
 *   write the channel (the layer operations' `filters`; bias excluded);
 * - `members`: whose filters count: `producers` (the layers computing the group's channels; the
 *   default) or `writers` (producers and the passthrough layers with filters of their own, i.e.
 *   depthwise convolutions inside the group);
 * - `reduction`: how a channel's figures over those members combine (`sum`, `mean` over the members
 *   that write it, `max`);
 * - `normaliser`, applied where `normaliseAt` says: to the group's reduced importance (`group`, the
 *   default, as Torch-Pruning) or to each member's magnitudes before the reduction (`member`, as
 *   SP-LAMP: every layer's largest filter scores 1 before the layers are combined);
 * - `foldBatchNorm`: measure each filter after folding the BatchNormalization that directly
 *   follows its layer (‖F·s‖: scale s = |γ|/sqrt(var+ε); L1 scales by s, squared L2 by s²).
 */
export interface MagnitudeImportance {
  readonly norm: FilterNorm;
  /** Default `producers`. */
  readonly members?: 'producers' | 'writers';
  /** Default `sum`. */
  readonly reduction?: ImportanceReduction;
  /** Default `none`. */
  readonly normaliser?: ImportanceNormaliser;
  /** Default `group`. */
  readonly normaliseAt?: 'group' | 'member';
  /** Default false. */
  readonly foldBatchNorm?: boolean;
}

/** The members of a group whose filters count, by layer (a layer seeing the group at several places is listed once, with all its places). */
function weightedMembers(model: tf.LayersModel, group: DependencyGroup, which: 'producers' | 'writers', ops: LayerOperations): Map<string, GroupMember[]> {
  const byLayer = new Map<string, GroupMember[]>();
  for (const member of group.members) {
    const writes = member.role === 'producer' || (which === 'writers' && member.role === 'passthrough');
    if (!writes || ops.get(model.getLayer(member.layer).getClassName())?.filters === undefined) continue;
    byLayer.set(member.layer, [...(byLayer.get(member.layer) ?? []), member]);
  }
  return byLayer;
}

/** The BatchNormalization that reads a layer's (first) output directly, if any. */
function followingBatchNorm(graph: ModelGraph, layer: string): string | undefined {
  return graph.consumers({ layer, node: 0, tensor: 0 }).find((n) => n.className === 'BatchNormalization')?.layer;
}

/**
 * The importance of every channel of each group in `groups` by `spec` (see `MagnitudeImportance`),
 * by group id. Channels no counted member writes score 0. Reads weights asynchronously; creates no tensors.
 *
 * ```ts
 * const groups = dependencyGroups(model).filter((g) => g.prunable);
 * await magnitudeImportance(model, groups, { norm: 'l1' });                                     // Li et al.'s L1 filter norms, summed over coupled producers
 * await magnitudeImportance(model, groups, { norm: 'l2sq', normaliser: 'lamp', reduction: 'max', // SP-LAMP
 *   normaliseAt: 'member', members: 'writers' });
 * ```
 */
export async function magnitudeImportance(
  model: tf.LayersModel,
  groups: readonly DependencyGroup[],
  spec: MagnitudeImportance,
  ops: LayerOperations = LayerOperations.builtIn,
): Promise<Map<string, Float32Array>> {
  const reduction = spec.reduction ?? 'sum';
  const normaliser = spec.normaliser ?? 'none';
  const atMember = spec.normaliseAt === 'member';
  const graph = spec.foldBatchNorm === true ? ModelGraph.fromModel(model) : undefined;
  const out = new Map<string, Float32Array>();
  for (const group of groups) {
    const total = new Float64Array(group.channels);
    const count = new Int32Array(group.channels);
    for (const [layerName, members] of weightedMembers(model, group, spec.members ?? 'producers', ops)) {
      const magnitudes = await filterMagnitudes(model.getLayer(layerName), spec.norm, ops);
      if (magnitudes === undefined) continue;
      const bn = graph === undefined ? undefined : followingBatchNorm(graph, layerName);
      if (bn !== undefined) {
        const scale = await batchNormScale(model.getLayer(bn));
        magnitudes.forEach((m, o) => (magnitudes[o] = m * (spec.norm === 'l1' ? (scale[o] ?? 1) : (scale[o] ?? 1) ** 2)));
      }
      // The channels this layer writes, and the size of each one's filters (summed over its indices, e.g. a depth multiplier).
      const channels: number[] = [];
      const sizes: number[] = [];
      for (let c = 0; c < group.channels; c++) {
        const indices = new Set(members.flatMap((m) => memberIndices(m, c)));
        if (indices.size === 0) continue;
        channels.push(c);
        sizes.push([...indices].reduce((sum, o) => sum + (magnitudes[o] ?? 0), 0));
      }
      const figures = atMember ? normaliseImportance(sizes, normaliser) : sizes;
      channels.forEach((c, i) => {
        const s = figures[i] as number;
        total[c] = reduction === 'max' ? Math.max(total[c] as number, s) : (total[c] as number) + s;
        count[c] = (count[c] as number) + 1;
      });
    }
    const reduced = Float64Array.from(total, (t, c) => (reduction === 'mean' && (count[c] as number) > 0 ? t / (count[c] as number) : t));
    out.set(group.id, atMember ? Float32Array.from(reduced) : normaliseImportance(reduced, normaliser));
  }
  return out;
}
