import type { ActivationKind, LatencyGeometry, MergeKind } from '../layers/layer-operation.js';

/** Layers with weights that mix channels (or, depthwise, filter each one): HALP's LUT entries. */
export type WeightedOp = 'conv2d' | 'depthwise' | 'dense' | 'conv2d-transpose' | 'separable';

/**
 * Layers whose channels pass through one by one (output channel c reads only input channel c), so
 * their time shrinks with the group that flows through them: BatchNorm, activations, element-wise
 * merges (Add …), pooling and zero padding.
 */
export type PassthroughOp = 'batch-norm' | 'activation' | 'merge' | 'max-pool' | 'avg-pool' | 'global-avg-pool' | 'global-max-pool' | 'zero-pad';

/** The layer kinds a latency table measures; every other layer's time goes into the predictor's constant. */
export type LayerOp = WeightedOp | PassthroughOp;

export const WEIGHTED_OPS: readonly WeightedOp[] = ['conv2d', 'depthwise', 'dense', 'conv2d-transpose', 'separable'];
export const PASSTHROUGH_OPS: readonly PassthroughOp[] = ['batch-norm', 'activation', 'merge', 'max-pool', 'avg-pool', 'global-avg-pool', 'global-max-pool', 'zero-pad'];
export const LAYER_OPS: readonly LayerOp[] = [...WEIGHTED_OPS, ...PASSTHROUGH_OPS];

/** The function of an activation site, named after the tfjs ops the layer runs (their costs differ): `relu-max` is a ReLU layer with `maxValue`, `relu6` is `Activation('relu6')`. */
export type { ActivationKind };

export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'relu-max', 'relu6', 'leaky-relu', 'elu', 'selu', 'sigmoid', 'hard-sigmoid', 'tanh',
  'softplus', 'softsign', 'swish', 'mish', 'gelu', 'gelu-new', 'thresholded-relu'];

/** The element-wise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum). */
export type { MergeKind };

export const MERGE_KINDS: readonly MergeKind[] = ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'];

/**
 * The fields every signature has. A Dense layer on `[batch, …rows, cin]` has `height` = product of
 * rows, `width` = 1 and a 1×1 kernel; passthrough ops have `cout` = `cin`, `groups` = `cin`,
 * `multiplier` 1, and kernel, stride and padding only where they pool (1×1, 1×1, `valid` otherwise).
 */
export interface SignatureFields extends LatencyGeometry {
  readonly batch: number;
  /** The tfjs backend name (`wasm`, `webgpu`, `webgl`, `tensorflow`, `cpu`). */
  readonly backend: string;
  /** The GPU adapter's description (WebGPU), or null where the backend has none. */
  readonly adapter: string | null;
}

/** A conv / depthwise / separable / transposed conv / dense layer call. */
export interface WeightedSignature extends SignatureFields {
  readonly op: WeightedOp;
}

/** BatchNormalization over the channel axis (inference: tf.batchNorm with the moving statistics). */
export interface BatchNormSignature extends SignatureFields {
  readonly op: 'batch-norm';
}

/** An activation layer (ReLU, LeakyReLU, ELU, ThresholdedReLU, Activation). */
export interface ActivationSignature extends SignatureFields {
  readonly op: 'activation';
  readonly activation: ActivationKind;
}

/** An element-wise merge of `inputs` tensors of the same shape. */
export interface MergeSignature extends SignatureFields {
  readonly op: 'merge';
  readonly merge: MergeKind;
  readonly inputs: number;
}

/** MaxPooling2D / AveragePooling2D (window `kernel`, `stride`, `padding`) or their global versions (mean / max over rows and columns). */
export interface PoolSignature extends SignatureFields {
  readonly op: 'max-pool' | 'avg-pool' | 'global-avg-pool' | 'global-max-pool';
}

/** ZeroPadding2D. */
export interface ZeroPadSignature extends SignatureFields {
  readonly op: 'zero-pad';
  /** Rows and columns added: top, bottom, left, right. */
  readonly pads: readonly [number, number, number, number];
}

/**
 * Everything that decides how long one layer call takes on one target. For weighted layers, HALP's
 * LUT key (`bs_cin_cout_fmap_k_stride_groups`) plus padding, dilation, depth multiplier, backend and
 * adapter; for passthrough ops, the channels, feature map and what the op does (activation
 * function, merge kind and input count, pooling window, padding).
 */
export type LayerSignature = WeightedSignature | BatchNormSignature | ActivationSignature | MergeSignature | PoolSignature | ZeroPadSignature;

/**
 * Whether a layer's output channels follow its input channels (depthwise convs and passthrough
 * ops): such a layer has one channel count to price, its input's.
 *
 * ```ts
 * channelsFollowInput('batch-norm'); // true
 * channelsFollowInput('conv2d');     // false
 * ```
 */
export function channelsFollowInput(op: LayerOp): boolean {
  return op === 'depthwise' || (PASSTHROUGH_OPS as readonly string[]).includes(op);
}

const pair = (p: readonly [number, number]): string => `${p[0]}x${p[1]}`;

/**
 * The table key of a signature, stable across runs and machines. Weighted layers keep HALP's field order:
 * `op_bs{batch}_cin{cin}_cout{cout}_fmap{h}x{w}_k{kh}x{kw}_s{sh}x{sw}_g{groups}_m{multiplier}_d{dh}x{dw}_{padding}@{backend}[/{adapter}]`;
 * passthrough ops name only what they depend on:
 * `batch-norm_bs1_c16_fmap32x32`, `activation_relu6_…`, `merge_add_n2_…`, `max-pool_…_k2x2_s2x2_valid`,
 * `global-avg-pool_…`, `zero-pad_…_p{top}x{bottom}x{left}x{right}`, then `@target`.
 *
 * ```ts
 * signatureKey({ op: 'conv2d', batch: 1, cin: 16, cout: 32, height: 32, width: 32, kernel: [3, 3], stride: [1, 1],
 *   dilation: [1, 1], padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null });
 * // 'conv2d_bs1_cin16_cout32_fmap32x32_k3x3_s1x1_g1_m1_d1x1_same@wasm'
 * ```
 */
export function signatureKey(s: LayerSignature): string {
  const target = s.adapter === null ? s.backend : `${s.backend}/${s.adapter}`;
  const common = `_bs${s.batch}_c${s.cin}_fmap${s.height}x${s.width}`;
  switch (s.op) {
    case 'batch-norm':
    case 'global-avg-pool':
    case 'global-max-pool':
      return `${s.op}${common}@${target}`;
    case 'activation':
      return `activation_${s.activation}${common}@${target}`;
    case 'merge':
      return `merge_${s.merge}_n${s.inputs}${common}@${target}`;
    case 'max-pool':
    case 'avg-pool':
      return `${s.op}${common}_k${pair(s.kernel)}_s${pair(s.stride)}_${s.padding}@${target}`;
    case 'zero-pad':
      return `zero-pad${common}_p${s.pads.join('x')}@${target}`;
    default:
      return `${s.op}_bs${s.batch}_cin${s.cin}_cout${s.cout}_fmap${pair([s.height, s.width])}_k${pair(s.kernel)}` +
        `_s${pair(s.stride)}_g${s.groups}_m${s.multiplier}_d${pair(s.dilation)}_${s.padding}@${target}`;
  }
}

/**
 * The same layer with other channel counts: what pruning changes. Depthwise layers and passthrough
 * ops have one channel count (their input); their output and groups follow it, `cout` is ignored.
 *
 * ```ts
 * const narrower = withChannels(signature, 8, 24); // conv2d: cin 8, cout 24
 * ```
 */
export function withChannels(s: LayerSignature, cin: number, cout: number): LayerSignature {
  switch (s.op) {
    case 'conv2d':
    case 'dense':
    case 'conv2d-transpose':
      return { ...s, cin, cout };
    case 'separable':
      return { ...s, cin, cout, groups: cin };
    case 'depthwise':
      return { ...s, cin, cout: cin * s.multiplier, groups: cin };
    default:
      return { ...s, cin, cout: cin, groups: cin };
  }
}
