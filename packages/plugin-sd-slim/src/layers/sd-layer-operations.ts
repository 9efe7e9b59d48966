import type { ConcreteLayerCall, LayerConfigJson, LayerOperation } from '@whittle/graph';

const size = (shape: readonly number[] | undefined): number => (shape ?? []).reduce((a, b) => a * b, 1);
const last = (shape: readonly number[] | undefined): number => shape?.[shape.length - 1] ?? 0;
/** A config number under its Keras (snake_case) or tfjs (camelCase) key. */
function configNumber(config: Readonly<LayerConfigJson>, snake: string, camel: string): number | undefined {
  const value = config[snake] ?? config[camel];
  return typeof value === 'number' ? value : undefined;
}
/** Positions H·W of a [1, H, W, C] shape. */
const positions = (shape: readonly number[] | undefined): number => size(shape) / Math.max(1, last(shape));
/** Inner width: config inner_dim, else the query width. */
const innerOf = (call: ConcreteLayerCall): number => configNumber(call.config, 'inner_dim', 'innerDim') ?? last(call.inputShapes[0]);

/** SinusoidalTimeEmbedding: no weights; sin/cos count 0 MACs. Opaque to channel pruning (its width is its `dim`). */
export const sinusoidalTimeEmbeddingOperation: LayerOperation = {
  className: 'SinusoidalTimeEmbedding',
  macs: () => 0,
};

/** GroupNormalization: per-channel scale and offset; counted as 0 MACs like BatchNormalization. Opaque to channel pruning. */
export const groupNormalizationOperation: LayerOperation = {
  className: 'GroupNormalization',
  macs: () => 0,
};

/**
 * SpatialSelfAttention on N = H·W positions, C in, I inner, U out:
 * 3·N·C·I (Q, K, V) + 2·N·N·I (QKᵀ and ·V) + N·I·U (output). Opaque to channel pruning.
 */
export const spatialSelfAttentionOperation: LayerOperation = {
  className: 'SpatialSelfAttention',
  macs(call) {
    const n = positions(call.inputShapes[0]);
    const c = last(call.inputShapes[0]);
    const i = innerOf(call);
    return 3 * n * c * i + 2 * n * n * i + n * i * last(call.outputShapes[0]);
  },
};

/** CrossAttention from N positions (C) to T context tokens (D): N·C·I + 2·T·D·I + 2·N·T·I + N·I·U. Opaque to channel pruning. */
export const crossAttentionOperation: LayerOperation = {
  className: 'CrossAttention',
  macs(call) {
    const n = positions(call.inputShapes[0]);
    const c = last(call.inputShapes[0]);
    const context = call.inputShapes[1] ?? [];
    const t = positions(context);
    const d = last(context);
    const i = innerOf(call);
    return n * c * i + 2 * t * d * i + 2 * n * t * i + n * i * last(call.outputShapes[0]);
  },
};

/**
 * GriAttention: projections as self-attention; each of the N queries attends to its window's w²
 * keys plus (N/s²) pooled global tokens (none when one window covers the map, then N keys).
 */
export const griAttentionOperation: LayerOperation = {
  className: 'GriAttention',
  macs(call) {
    const input = call.inputShapes[0] ?? [];
    const [, h = 1, w = 1] = input;
    const n = h * w;
    const c = last(input);
    const i = innerOf(call);
    const window = configNumber(call.config, 'window', 'window') ?? Math.max(h, w);
    const stride = configNumber(call.config, 'pool_stride', 'poolStride') ?? 0;
    const keys = window >= h && window >= w ? n : window * window + (stride > 0 ? n / (stride * stride) : 0);
    return 3 * n * c * i + 2 * n * keys * i + n * i * last(call.outputShapes[0]);
  },
};

/** CondConv2D: one k×k convolution per example + the n-way kernel and bias mix + the router (Cin·n). Opaque to channel pruning. */
export const condConv2dOperation: LayerOperation = {
  className: 'CondConv2D',
  macs(call) {
    const k = configNumber(call.config, 'kernel_size', 'kernelSize') ?? 1;
    const n = configNumber(call.config, 'experts', 'experts') ?? 1;
    const cin = last(call.inputShapes[0]);
    const f = last(call.outputShapes[0]);
    const kernel = k * k * cin * f;
    return positions(call.outputShapes[0]) * kernel + n * (kernel + f) + cin * n;
  },
};
