import * as tf from '@tensorflow/tfjs';
import { memberIndices, type DependencyGroup, type GroupMember } from '../channels/dependency-group.js';
import { channelsFollowInput, type LayerSignature } from './layer-signature.js';
import { signatureOfLayer, type LatencyTarget } from './signature-of-layer.js';

/** How one prunable group changes one side (input or output channels) of a layer. */
export interface ChannelTerm {
  readonly group: string;
  /** `removed[w]`: channels of this side that disappear when the group keeps its first `w` channels (`removed[channels]` = 0). */
  readonly removed: readonly number[];
}

/** A layer's input or output channel count as a function of the prunable groups' widths. */
export interface ChannelSide {
  /** The count at full width. */
  readonly full: number;
  readonly terms: readonly ChannelTerm[];
}

/**
 * One call of a measured layer (conv2d, depthwise, dense, conv2d-transpose, separable; BatchNorm,
 * activations, element-wise merges, pooling, zero padding) in a model: its full-width signature
 * and how its cin and cout follow the group widths. Depthwise layers and passthrough ops have only
 * `cin` (their output follows it); their `cout` side has no terms.
 */
export interface LatencySite {
  /** `layer` or, for a shared layer's later calls, `layer#call`. */
  readonly id: string;
  readonly layer: string;
  readonly signature: LayerSignature;
  readonly cin: ChannelSide;
  readonly cout: ChannelSide;
}

/** Channel widths per group id; groups not named keep all their channels. */
export type GroupWidths = ReadonlyMap<string, number>;

/**
 * The channel count of a side under `widths` (a width is assumed valid: 1 … channels).
 *
 * ```ts
 * sideWidth(site.cin, new Map([['stem_conv', 8]]));
 * ```
 */
export function sideWidth(side: ChannelSide, widths: GroupWidths): number {
  let width = side.full;
  for (const term of side.terms) {
    const w = widths.get(term.group);
    if (w !== undefined) width -= term.removed[w] ?? 0;
  }
  return width;
}

/** `removed[w]` for the members of one group at one side: distinct indices of channels w … channels − 1, divided by `divisor`. */
function removedCounts(group: DependencyGroup, members: readonly GroupMember[], divisor: number): number[] {
  const removed = new Array<number>(group.channels + 1).fill(0);
  const gone = new Set<number>();
  for (let c = group.channels - 1; c >= 0; c--) {
    for (const member of members) for (const index of memberIndices(member, c)) gone.add(index);
    removed[c] = Math.round(gone.size / divisor);
  }
  return removed;
}

function side(full: number, groups: readonly DependencyGroup[], layer: string, role: GroupMember['role'], divisor: number): ChannelSide {
  const terms: ChannelTerm[] = [];
  for (const group of groups) {
    if (!group.prunable) continue;
    const members = group.members.filter((m) => m.layer === layer && m.role === role);
    if (members.length > 0) terms.push({ group: group.id, removed: removedCounts(group, members, divisor) });
  }
  return { full, terms };
}

type Shape = (number | null)[];

/** The input shapes of a layer call, one per input. */
function inputShapesOf(shapes: Shape | Shape[]): Shape[] {
  if (shapes.length === 0) return [];
  return Array.isArray(shapes[0]) ? (shapes as Shape[]) : [shapes as Shape];
}

/**
 * The measured layer calls of a model and how their channels follow the prunable groups of
 * `groups` (from `dependencyGroups(model)`). Weighted layers change cout with their producer group
 * and cin with the groups they consume; depthwise layers and passthrough ops (BatchNorm,
 * activations, pooling, padding, and element-wise merges, each of whose inputs has the merged
 * group's channels) follow the groups that pass through them. Layers the table does not model
 * (Flatten, Concatenate, Dropout, nested models, Conv1D …) are not sites: their time is part of
 * the predictor's constant.
 *
 * ```ts
 * const sites = latencySites(model, dependencyGroups(model), { backend: 'wasm', adapter: null, batch: 1 });
 * ```
 */
export function latencySites(model: tf.LayersModel, groups: readonly DependencyGroup[], target: LatencyTarget): LatencySite[] {
  const own = model.containerNodes;
  const sites: LatencySite[] = [];
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) continue;
    let call = 0;
    layer.inboundNodes.forEach((node, index) => {
      if (own.size > 0 && !own.has(`${layer.name}_ib-${index}`)) return;
      const shapes = inputShapesOf(node.inputShapes as Shape | Shape[]);
      const signature = shapes.length === 0 ? undefined
        : signatureOfLayer({ className: layer.getClassName(), config: layer.getConfig() as Record<string, unknown> }, shapes, target);
      if (signature === undefined) return;
      const id = call === 0 ? layer.name : `${layer.name}#${call}`;
      call++;
      if (channelsFollowInput(signature.op)) {
        // Its channels pass through: the group's indices on its output axis (a depthwise conv: m per input channel).
        sites.push({ id, layer: layer.name, signature, cin: side(signature.cin, groups, layer.name, 'passthrough', signature.multiplier), cout: { full: signature.cout, terms: [] } });
      } else {
        sites.push({ id, layer: layer.name, signature, cin: side(signature.cin, groups, layer.name, 'consumer', 1), cout: side(signature.cout, groups, layer.name, 'producer', 1) });
      }
    });
  }
  return sites;
}
