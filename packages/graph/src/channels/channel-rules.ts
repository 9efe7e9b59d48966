import type { GraphNode } from '../graph/model-graph.js';
import { numberField, numberListField, stringField, type LayerConfigJson } from '../topology/keras-json.js';

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

const PASSTHROUGH = new Set([
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
  'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
  'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'RepeatVector', 'Rescaling', 'Resizing', 'CenterCrop',
]);

const MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);
const PRODUCERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'Conv3DTranspose', 'SeparableConv2D']);
const NESTED_MODELS = new Set(['Model', 'Functional', 'Sequential']);

/** The last-axis index of a rank-`rank` tensor that `axis` (possibly negative) names. */
function resolveAxis(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

function inputRank(node: GraphNode): number {
  return node.inputShapes[0]?.length ?? 0;
}

/** Whether the config's axis list (default -1) includes the channel axis. */
function touchesChannelAxis(config: LayerConfigJson, key: string, rank: number): boolean {
  const axes = numberListField(config, key) ?? [-1];
  return axes.some((axis) => resolveAxis(axis, rank) === rank - 1);
}

/**
 * The channel rule of one layer call.
 *
 * ```ts
 * channelRuleFor(graph.nodes[1]!, graph.layer('conv1').config); // { kind: 'producer', units: 16, softmax: false }
 * ```
 */
export function channelRuleFor(node: GraphNode, config: LayerConfigJson): ChannelRule {
  const cls = node.className;
  const rank = inputRank(node);
  if (stringField(config, 'data_format') === 'channels_first') {
    return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) is channels_first; only channels-last layers are pruned` };
  }
  if (cls === 'InputLayer') return { kind: 'input' };
  if (PRODUCERS.has(cls)) {
    const units = numberField(config, cls === 'Dense' ? 'units' : 'filters');
    if (units === undefined) return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) has no ${cls === 'Dense' ? 'units' : 'filters'} in its config` };
    if ((numberField(config, 'groups') ?? 1) !== 1) return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) is a grouped convolution` };
    return { kind: 'producer', units, softmax: stringField(config, 'activation') === 'softmax' };
  }
  if (cls === 'DepthwiseConv2D') return { kind: 'depthwise', multiplier: numberField(config, 'depth_multiplier') ?? 1 };
  if (cls === 'BatchNormalization') {
    return touchesChannelAxis(config, 'axis', rank) && (numberListField(config, 'axis')?.length ?? 1) === 1
      ? { kind: 'channelwise' }
      : { kind: 'opaque', reason: `layer "${node.layer}" (BatchNormalization) normalises over an axis other than the channel axis` };
  }
  if (cls === 'PReLU') {
    // Keras shared_axes count from 1 (the batch axis is 0).
    const shared = numberListField(config, 'shared_axes') ?? [];
    return shared.includes(rank - 1) ? { kind: 'passthrough' } : { kind: 'channelwise' };
  }
  if (cls === 'LayerNormalization') {
    return touchesChannelAxis(config, 'axis', rank)
      ? { kind: 'coupling', reason: `layer "${node.layer}" (LayerNormalization) normalises over the channels` }
      : { kind: 'passthrough' };
  }
  if (cls === 'Softmax') {
    return touchesChannelAxis(config, 'axis', rank)
      ? { kind: 'coupling', reason: `layer "${node.layer}" (Softmax) normalises over the channels` }
      : { kind: 'passthrough' };
  }
  if (cls === 'Activation') {
    return stringField(config, 'activation') === 'softmax'
      ? { kind: 'coupling', reason: `layer "${node.layer}" (Activation softmax) normalises over the channels` }
      : { kind: 'passthrough' };
  }
  if (cls === 'Masking') return { kind: 'coupling', reason: `layer "${node.layer}" (Masking) reads all channels of a position at once` };
  if (MERGES.has(cls)) return { kind: 'merge' };
  if (cls === 'Concatenate') {
    const axis = numberField(config, 'axis') ?? -1;
    return resolveAxis(axis, rank) === rank - 1 ? { kind: 'concatenate' } : { kind: 'merge' };
  }
  if (cls === 'Flatten' || cls === 'Reshape') return { kind: 'reshape' };
  if (cls === 'Permute') {
    const dims = numberListField(config, 'dims') ?? [];
    return dims[dims.length - 1] === rank - 1
      ? { kind: 'passthrough' }
      : { kind: 'opaque', reason: `layer "${node.layer}" (Permute) moves the channel axis` };
  }
  if (PASSTHROUGH.has(cls)) return { kind: 'passthrough' };
  if (NESTED_MODELS.has(cls)) return { kind: 'opaque', reason: `layer "${node.layer}" is a nested model; pruning does not look inside nested models` };
  return { kind: 'opaque', reason: `layer "${node.layer}" (${cls}) is not supported by the graph` };
}
