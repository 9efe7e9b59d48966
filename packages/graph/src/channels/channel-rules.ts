import type { GraphNode } from '../graph/model-graph.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { stringField, type LayerConfigJson } from '../topology/keras-json.js';

/**
 * What a layer does to the channel axis (always the last axis: Whittle reads channels-last models).
 * This is keras-surgeon's mask-propagation table, extended to depthwise/separable/transposed convs,
 * broadcasting merges and reshapes, and with "unknown" turned into "blocks pruning" instead of an error.
 */
export type ChannelRule =
  /** A model input: its channels are fixed by the data. */
  | { readonly kind: 'input' }
  /** Reads every input channel, writes `units` new ones (Dense, Conv*, Conv*Transpose, SeparableConv2D). */
  | { readonly kind: 'producer'; readonly units: number; readonly softmax: boolean }
  /** Input channel c becomes outputs c·m … c·m+m−1 (DepthwiseConv2D). */
  | { readonly kind: 'depthwise'; readonly multiplier: number }
  /** One weight set per channel, channels stay where they are (BatchNormalization, PReLU). */
  | { readonly kind: 'channelwise' }
  /** Channels pass through untouched (activations, pooling, padding, dropout …). */
  | { readonly kind: 'passthrough' }
  /** Channels pass through, but the layer mixes them, so none may be removed (softmax over channels …). */
  | { readonly kind: 'coupling'; readonly reason: string }
  /** Element-wise merge: all inputs share one channel set (Add, Multiply …; broadcast inputs of width 1 excepted). */
  | { readonly kind: 'merge' }
  /** Concatenation along the channel axis: offsets. */
  | { readonly kind: 'concatenate' }
  /** Flatten/Reshape: channels repeat or fold along the new last axis. */
  | { readonly kind: 'reshape' }
  /** A layer the graph does not understand: every group it touches is unprunable. */
  | { readonly kind: 'opaque'; readonly reason: string };

/**
 * The channel rule of one layer call, from the layer's operation in `ops` (default: the built-ins).
 * Channels-first layers, classes without an operation and operations without a channel rule are
 * opaque: every group they touch is unprunable, with a reason naming the layer and its class.
 *
 * ```ts
 * channelRuleFor(graph.nodes[1]!, graph.layer('conv1').config); // { kind: 'producer', units: 16, softmax: false }
 * ```
 */
export function channelRuleFor(node: GraphNode, config: Readonly<LayerConfigJson>, ops: LayerOperations = LayerOperations.builtIn): ChannelRule {
  const cls = node.className;
  if (stringField(config, 'data_format') === 'channels_first') {
    return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) is channels_first; only channels-last layers are pruned` };
  }
  const op = ops.get(cls);
  if (op === undefined) return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) is not supported by the graph` };
  if (op.channelRule === undefined) return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) has a layer operation without a channel rule, so the channels it reads and writes cannot be pruned` };
  return op.channelRule(node, config);
}
