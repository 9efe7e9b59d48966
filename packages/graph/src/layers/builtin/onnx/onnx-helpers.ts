import type { Shape } from '../../../graph/model-graph.js';
import { numberField, stringField, type JsonValue, type LayerConfigJson } from '../../../topology/keras-json.js';
import type { OnnxLayout, OnnxLoweringContext, OnnxValue } from '../../onnx-lowering.js';
import { pair } from '../call-geometry.js';

/** Shared pieces of the built-in ONNX lowerings: weight permutation, padding, axes, activations. */

/** The values of a row-major tensor of `shape` with its axes permuted (`perm[i]` = the source axis of output axis i). */
export function permuted(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p] as number);
  const srcStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) srcStrides[i] = (srcStrides[i + 1] as number) * (shape[i + 1] as number);
  const strideOf = perm.map((p) => srcStrides[p] as number);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += (index[i] as number) * (strideOf[i] as number);
    out[o] = values[src] as number;
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1;
      if ((index[i] as number) < (outShape[i] as number)) break;
      index[i] = 0;
    }
  }
  return out;
}

/** The channels-first position of a native NHWC axis of a rank-4 tensor (negative axes count from the end). */
export function channelsFirstAxis(axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis;
  if (rank !== 4) return a;
  return [0, 2, 3, 1][a] as number;
}

/** The layout a lowering asks for: channels-first for rank-4 values, native otherwise. */
export function preferredLayout(shape: Shape | undefined): OnnxLayout {
  return shape?.length === 4 ? 'channels-first' : 'native';
}

/** Whether a layer config is channels-first (its native layout already is NCHW). */
export function isChannelsFirstConfig(config: Readonly<LayerConfigJson>): boolean {
  return config['data_format'] === 'channels_first';
}

/** A config pair (kernel, strides, dilation) or an error naming the layer. */
export function configPair(ctx: OnnxLoweringContext, key: string, fallback?: number): readonly [number, number] {
  const value = pair(ctx.config[key], fallback);
  if (value === undefined) ctx.unsupported(`its "${key}" (${JSON.stringify(ctx.config[key] ?? null)}) is not a number or a pair`);
  return value;
}

/**
 * Explicit ONNX pads [top, left, bottom, right] for a window over rows × columns, as TensorFlow
 * pads: `valid` none; `same` enough for ⌈in / stride⌉ outputs, the odd one at the end.
 */
export function windowPads(
  ctx: OnnxLoweringContext, spatial: readonly (number | null)[], kernel: readonly [number, number], stride: readonly [number, number], dilation: readonly [number, number],
): number[] {
  const padding = ctx.config['padding'] ?? 'valid';
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') ctx.unsupported(`padding "${String(padding)}" is not "same" or "valid"`);
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = spatial[i];
    if (size === null || size === undefined) ctx.unsupported('"same" padding needs known rows and columns (the input has an unknown spatial size)');
    const s = stride[i] as number;
    const extent = ((kernel[i] as number) - 1) * (dilation[i] as number) + 1;
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + extent - size, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}

/** Rows and columns (native NHWC, or NCHW for a channels-first config) of a rank-4 shape. */
export function spatialOf(ctx: OnnxLoweringContext, shape: Shape | undefined): readonly (number | null)[] {
  if (shape === undefined || shape.length !== 4) ctx.unsupported(`it expects a rank-4 image input, got shape ${JSON.stringify(shape ?? null)}`);
  return isChannelsFirstConfig(ctx.config) ? shape.slice(2) : shape.slice(1, 3);
}

/** Per-channel `y = x·scale + shift` from BatchNormalization statistics, computed in float64. */
export function batchNormAffine(gamma: Float32Array | undefined, beta: Float32Array | undefined, mean: Float32Array, variance: Float32Array, epsilon: number): { scale: Float32Array; shift: Float32Array } {
  const scale = new Float32Array(mean.length);
  const shift = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    const s = (gamma === undefined ? 1 : (gamma[c] as number)) / Math.sqrt((variance[c] as number) + epsilon);
    scale[c] = s;
    shift[c] = (beta === undefined ? 0 : (beta[c] as number)) - (mean[c] as number) * s;
  }
  return { scale, shift };
}

/** A per-channel vector shaped to broadcast over a value in `layout` of `rank`: [C, 1, 1] channels-first, [C] native. */
export function channelDims(channels: number, layout: OnnxLayout, rank: number): number[] {
  return layout === 'channels-first' && rank === 4 ? [channels, 1, 1] : [channels];
}

/** An activation identifier as a string (`null`/absent: linear). */
export function activationOf(config: Readonly<LayerConfigJson>, key = 'activation'): string {
  return stringField(config as LayerConfigJson, key) ?? 'linear';
}

/**
 * Applies a Keras activation identifier (`relu`, `relu6`, `sigmoid`, `tanh`, `softmax`, `swish`,
 * `hard_sigmoid`, `hard_swish`, `elu`, `selu`, `softplus`, `softsign`, `gelu`, `mish`, `linear`)
 * to `x`, as tfjs computes it. Softmax runs over the last native axis (the channels).
 */
export function applyActivation(ctx: OnnxLoweringContext, x: OnnxValue, identifier: string, rank: number): OnnxValue {
  const out = (name: string): OnnxValue => ({ name, layout: x.layout });
  const v = x.name;
  switch (identifier) {
    case 'linear':
      return x;
    case 'relu':
      return out(ctx.node('Relu', [v]));
    case 'relu6':
      return out(clip(ctx, v, 0, 6));
    case 'sigmoid':
      return out(ctx.node('Sigmoid', [v]));
    case 'tanh':
      return out(ctx.node('Tanh', [v]));
    case 'softmax':
      return out(ctx.node('Softmax', [v], { axis: { int: x.layout === 'channels-first' ? 1 : rank - 1 } }));
    case 'swish':
    case 'silu':
      return out(ctx.node('Mul', [v, ctx.node('Sigmoid', [v])]));
    case 'hard_sigmoid':
      return out(ctx.node('HardSigmoid', [v], { alpha: { float: 0.2 }, beta: { float: 0.5 } }));
    case 'hard_swish':
      return out(ctx.node('HardSwish', [v]));
    case 'elu':
      return out(ctx.node('Elu', [v], { alpha: { float: 1 } }));
    case 'selu':
      return out(ctx.node('Selu', [v]));
    case 'softplus':
      return out(ctx.node('Softplus', [v]));
    case 'softsign':
      return out(ctx.node('Softsign', [v]));
    case 'mish':
      return out(ctx.node('Mul', [v, ctx.node('Tanh', [ctx.node('Softplus', [v])])]));
    case 'gelu': {
      const half = ctx.floatInitializer([0.5], [], 'half');
      const one = ctx.floatInitializer([1], [], 'one');
      const rootTwo = ctx.floatInitializer([Math.SQRT2], [], 'sqrt2');
      return out(ctx.node('Mul', [ctx.node('Mul', [v, half]), ctx.node('Add', [one, ctx.node('Erf', [ctx.node('Div', [v, rootTwo])])])]));
    }
    default:
      return ctx.unsupported(`activation "${identifier}" has no ONNX lowering`);
  }
}

/** Clip(x, min, max) (opset 11+: bounds as inputs). */
export function clip(ctx: OnnxLoweringContext, x: string, min: number, max: number): string {
  return ctx.node('Clip', [x, ctx.floatInitializer([min], [], 'clip_min'), ctx.floatInitializer([max], [], 'clip_max')]);
}

/** A config number, or `fallback`. */
export function numberOr(config: Readonly<LayerConfigJson>, key: string, fallback: number): number {
  return numberField(config as LayerConfigJson, key) ?? fallback;
}

/** ZeroPadding2D / Cropping2D amounts: n, [rows, cols] or [[top, bottom], [left, right]] → [top, bottom, left, right]. */
export function edgeAmounts(ctx: OnnxLoweringContext, key: string): [number, number, number, number] {
  const value: JsonValue | undefined = ctx.config[key];
  if (typeof value === 'number') return [value, value, value, value];
  if (Array.isArray(value) && value.length === 2) {
    const [rows, cols] = value;
    if (typeof rows === 'number' && typeof cols === 'number') return [rows, rows, cols, cols];
    const r = pair(rows);
    const c = pair(cols);
    if (r !== undefined && c !== undefined) return [r[0], r[1], c[0], c[1]];
  }
  return ctx.unsupported(`its "${key}" (${JSON.stringify(value ?? null)}) is not n, [rows, cols] or [[top, bottom], [left, right]]`);
}
