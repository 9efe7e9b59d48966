/**
 * How one layer sees a dependency group.
 * - `producer`: the layer writes these channels (a conv's filters, a dense's units; also model inputs);
 * - `consumer`: the layer reads them and mixes them into its outputs (the next conv's input channels);
 * - `passthrough`: the channels flow through it (BatchNormalization, DepthwiseConv2D, activations,
 *   pooling, Add, Concatenate, Flatten …).
 *
 * Group channel `c` (counted from `span.start`) sits at these indices of the layer's channel axis
 * (the last axis of its output for producers and passthroughs, of its input for consumers):
 * `offset + p·stride + (c − span.start)·multiplier + j` for `p < positions`, `j < multiplier`.
 * `memberIndices` computes that list. A layer that sees the group at several places (a Concatenate
 * of x and a depthwise conv of x) is listed once per place; the channel's indices are their union.
 */
export interface GroupMember {
  readonly layer: string;
  readonly role: 'producer' | 'consumer' | 'passthrough';
  /** Where channel 0 of the group sits on the layer's channel axis (> 0 after a Concatenate). */
  readonly offset: number;
  /** Distance between the repeats of a channel (Flatten → Dense: the channel count before flattening). */
  readonly stride?: number;
  /** How many times each channel repeats at `stride` (Flatten → Dense: height × width). Default 1. */
  readonly positions?: number;
  /** Consecutive indices per channel (after a DepthwiseConv2D with depth multiplier m). Default 1. */
  readonly multiplier?: number;
  /** The group channels this layer sees, when it is not all of them (a branch of a split concatenation). */
  readonly span?: { readonly start: number; readonly end: number };
}

/**
 * A set of channels that must be removed together: a producer's output channels, the
 * BatchNormalization and activations after it, the input channels of every consumer, and all the
 * producers joined to it by element-wise merges (Add, Multiply …).
 */
export interface DependencyGroup {
  /** Stable id: the name of the first layer (in topological order) that produces these channels. */
  readonly id: string;
  /** How many channels the group has; a `ChannelPlan` names them 0 … channels − 1. */
  readonly channels: number;
  readonly members: readonly GroupMember[];
  /** False when any reason below applies. */
  readonly prunable: boolean;
  /** Why the group may not be pruned (human-readable, one reason per cause). */
  readonly blockedBy: readonly string[];
}

/**
 * The indices of a layer's channel axis that belong to group channel `channel`, per the member's
 * offset/stride/positions/multiplier; empty when the channel is outside the member's span.
 *
 * ```ts
 * // Flatten (4×4 positions of 8 channels) into a Dense, group at offset 2:
 * memberIndices({ layer: 'fc', role: 'consumer', offset: 2, stride: 8, positions: 16 }, 1); // [3, 11, 19, …, 123]
 * ```
 */
export function memberIndices(member: GroupMember, channel: number): number[] {
  const start = member.span?.start ?? 0;
  if (channel < start || (member.span !== undefined && channel >= member.span.end)) return [];
  const multiplier = member.multiplier ?? 1;
  const positions = member.positions ?? 1;
  const stride = member.stride ?? 0;
  const out: number[] = [];
  for (let p = 0; p < positions; p++) {
    for (let j = 0; j < multiplier; j++) out.push(member.offset + p * stride + (channel - start) * multiplier + j);
  }
  return out;
}
