import type { ChannelRule } from '../../channels/channel-rules.js';
import type { GraphNode } from '../../graph/model-graph.js';
import { numberListField, type LayerConfigJson } from '../../topology/keras-json.js';
import type { LayerOperation, WeightAxis } from '../layer-operation.js';
import { passthroughGeometry, product } from './call-geometry.js';
import { batchNormalizationLowering, preluLowering } from './onnx/channelwise-lowerings.js';

/** Layers with one weight set per channel (BatchNormalization, PReLU) or that normalise over axes (LayerNormalization). */

function inputRank(node: GraphNode): number {
  return node.inputShapes[0]?.length ?? 0;
}

/** Whether the config's axis list (default -1) includes the channel axis (the last). */
export function touchesChannelAxis(config: Readonly<LayerConfigJson>, key: string, rank: number): boolean {
  const axes = numberListField(config, key) ?? [-1];
  return axes.some((axis) => (axis < 0 ? rank + axis : axis) === rank - 1);
}

const BN_AXIS: readonly WeightAxis[] = [{ axis: 0, role: 'in' }];

const batchNormalization: LayerOperation = {
  className: 'BatchNormalization',
  onnx: batchNormalizationLowering,
  channelRule: (node, config): ChannelRule =>
    touchesChannelAxis(config, 'axis', inputRank(node)) && (numberListField(config, 'axis')?.length ?? 1) === 1
      ? { kind: 'channelwise' }
      : { kind: 'opaque', reason: `layer "${node.layer}" (BatchNormalization) normalises over an axis other than the channel axis` },
  weightAxes: { gamma: BN_AXIS, beta: BN_AXIS, moving_mean: BN_AXIS, moving_variance: BN_AXIS },
  channelCost(layer) {
    const config = layer.config;
    const perChannel = 2 + (config['scale'] === false ? 0 : 1) + (config['center'] === false ? 0 : 1);
    return (i) => ({ params: perChannel * i, macs: 0 });
  },
  latency(call) {
    const found = passthroughGeometry(call);
    if (found === undefined || call.inputShapes.length !== 1) return undefined;
    const axis = call.config['axis'];
    const last = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : undefined) : axis;
    return last === -1 || last === found.sizes.length ? { ...found.geometry, op: 'batch-norm' } : undefined;
  },
};

const prelu: LayerOperation = {
  className: 'PReLU',
  onnx: preluLowering,
  // Keras shared_axes count from 1 (the batch axis is 0).
  channelRule: (node, config) => ((numberListField(config, 'shared_axes') ?? []).includes(inputRank(node) - 1) ? { kind: 'passthrough' } : { kind: 'channelwise' }),
  weightAxes: { alpha: [{ axis: -1, role: 'in', broadcast: true }] },
  channelCost(layer) {
    const shared = numberListField(layer.config, 'shared_axes') ?? [];
    const shape = (layer.nodes[0]?.inputShapes[0] ?? []).slice(1, -1).map((d, axis) => (shared.includes(axis + 1) ? 1 : d));
    return (i) => ({ params: product(shape) * i, macs: 0 });
  },
};

const layerNormalization: LayerOperation = {
  className: 'LayerNormalization',
  channelRule: (node, config) =>
    touchesChannelAxis(config, 'axis', inputRank(node))
      ? { kind: 'coupling', reason: `layer "${node.layer}" (LayerNormalization) normalises over the channels` }
      : { kind: 'passthrough' },
};

export const CHANNELWISE_OPERATIONS: readonly LayerOperation[] = [batchNormalization, prelu, layerNormalization];
