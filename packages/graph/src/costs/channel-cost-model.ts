import type { GraphLayer } from '../graph/model-graph.js';
import { numberField, numberListField, type LayerConfigJson } from '../topology/keras-json.js';

/** Parameters and multiply–accumulates (one example) of a layer. */
export interface Cost {
  readonly params: number;
  readonly macs: number;
}

/** A layer's cost as a function of its input and output channel counts. */
export type CostFunction = (inChannels: number, outChannels: number) => Cost;

const product = (xs: readonly (number | null)[]): number => xs.reduce<number>((a, b) => a * (b ?? 1), 1);

function kernelTaps(config: LayerConfigJson, rank: number): number {
  const k = numberListField(config, 'kernel_size') ?? [1];
  return k.length === 1 ? (k[0] as number) ** rank : product(k);
}

function bias(config: LayerConfigJson): number {
  return config['use_bias'] === false ? 0 : 1;
}

/**
 * How one layer's parameters and MACs depend on its channel counts, following Whittle's MAC
 * convention (`layerCosts` in @whittle/metrics: convs, dense and depthwise count, BatchNorm,
 * activations, pooling and merges cost 0 MACs). MACs are summed over the layer's calls. Returns
 * undefined for layers whose cost does not depend on channels.
 *
 * ```ts
 * const cost = channelCostModel(graph.layer('conv1'))!;
 * cost(16, 32).params; // 3·3·16·32 + 32
 * ```
 */
export function channelCostModel(layer: GraphLayer): CostFunction | undefined {
  const config = layer.config;
  const calls = layer.nodes;
  const outPositions = calls.reduce((sum, n) => sum + product((n.outputShapes[0] ?? []).slice(1, -1)), 0);
  const inPositions = calls.reduce((sum, n) => sum + product((n.inputShapes[0] ?? []).slice(1, -1)), 0);
  const spatialRank = Math.max(0, (calls[0]?.outputShapes[0]?.length ?? 2) - 2);
  const taps = kernelTaps(config, spatialRank);
  switch (layer.className) {
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
      return (i, o) => ({ params: taps * i * o + bias(config) * o, macs: outPositions * o * taps * i });
    case 'Conv2DTranspose':
    case 'Conv3DTranspose':
      return (i, o) => ({ params: taps * i * o + bias(config) * o, macs: inPositions * i * taps * o });
    case 'Dense':
      return (i, o) => ({ params: i * o + bias(config) * o, macs: outPositions * i * o });
    case 'DepthwiseConv2D': {
      const m = numberField(config, 'depth_multiplier') ?? 1;
      return (i) => ({ params: taps * i * m + bias(config) * i * m, macs: outPositions * i * m * taps });
    }
    case 'SeparableConv2D': {
      const m = numberField(config, 'depth_multiplier') ?? 1;
      return (i, o) => ({ params: taps * i * m + i * m * o + bias(config) * o, macs: outPositions * (i * m * taps + i * m * o) });
    }
    case 'BatchNormalization': {
      const perChannel = 2 + (config['scale'] === false ? 0 : 1) + (config['center'] === false ? 0 : 1);
      return (i) => ({ params: perChannel * i, macs: 0 });
    }
    case 'PReLU': {
      const shared = numberListField(config, 'shared_axes') ?? [];
      const shape = (calls[0]?.inputShapes[0] ?? []).slice(1, -1).map((d, axis) => (shared.includes(axis + 1) ? 1 : d));
      return (i) => ({ params: product(shape) * i, macs: 0 });
    }
    default:
      return undefined;
  }
}
