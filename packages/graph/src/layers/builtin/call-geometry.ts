import type { GraphLayer, Shape } from '../../graph/model-graph.js';
import { numberListField, type JsonValue, type LayerConfigJson } from '../../topology/keras-json.js';
import type { LatencyCall, LatencyGeometry } from '../layer-operation.js';

/** Shared arithmetic of the built-in layer operations: shapes, kernel taps, positions. */

export const product = (xs: readonly (number | null)[]): number => xs.reduce<number>((a, b) => a * (b ?? 1), 1);

/** Kernel taps for group costs: a scalar or one-element `kernel_size` is the side of a `rank`-D cube. */
export function costKernelTaps(config: Readonly<LayerConfigJson>, rank: number): number {
  const k = numberListField(config, 'kernel_size') ?? [1];
  return k.length === 1 ? (k[0] as number) ** rank : product(k);
}

/** Kernel taps for MAC counts (the kernel's `mac-counters` convention): a list multiplies out, a scalar is a cube's side. */
export function macKernelTaps(config: Readonly<LayerConfigJson>, rank: number): number {
  const k = config['kernel_size'];
  if (Array.isArray(k)) return product(k as (number | null)[]);
  return (typeof k === 'number' ? k : 1) ** rank;
}

/** 1 when the layer has a bias (Keras default), 0 when `use_bias` is false. */
export function biasTerms(config: Readonly<LayerConfigJson>): number {
  return config['use_bias'] === false ? 0 : 1;
}

/** Splits a concrete shape [1, ...spatial, c] (or [1, c, ...spatial] channels-first) into spatial dims and channels. */
export function splitChannels(shape: readonly number[], config: Readonly<LayerConfigJson>): { spatial: number[]; channels: number } {
  if (config['data_format'] === 'channels_first') return { spatial: shape.slice(2), channels: shape[1] ?? 1 };
  return { spatial: shape.slice(1, -1), channels: shape[shape.length - 1] ?? 1 };
}

/** Spatial positions (all axes but batch and channels) summed over a layer's calls, of its first input or output. */
export function positions(layer: GraphLayer, side: 'in' | 'out'): number {
  return layer.nodes.reduce((sum, n) => sum + product(((side === 'in' ? n.inputShapes[0] : n.outputShapes[0]) ?? []).slice(1, -1)), 0);
}

/** The number of spatial axes of a layer's output (rank − 2). */
export function spatialRank(layer: GraphLayer): number {
  return Math.max(0, (layer.nodes[0]?.outputShapes[0]?.length ?? 2) - 2);
}

/** A config value as a pair of numbers: n → [n, n], [a, b] → [a, b]; absent → [fallback, fallback]. */
export function pair(value: JsonValue | undefined, fallback?: number): readonly [number, number] | undefined {
  if ((value === undefined || value === null) && fallback !== undefined) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  return undefined;
}

/** Whether a config is channels-last for latency purposes (no `data_format`, or `channels_last`). */
export function channelsLast(config: Readonly<LayerConfigJson>): boolean {
  const format = config['data_format'];
  return format === undefined || format === null || format === 'channels_last';
}

/** The known, positive dims after the batch axis of a shape, or undefined. */
export function knownDims(shape: Shape | undefined): number[] | undefined {
  if (shape === undefined) return undefined;
  const rest = shape.slice(1);
  if (rest.length === 0 || rest.some((d) => d === null || d <= 0)) return undefined;
  return rest as number[];
}

/**
 * The geometry of a passthrough call (BN, activation, merge, pooling, padding) at full width: all
 * inputs of one known shape, channels last. Feature map: rows × columns for images, the product of
 * the middle axes (× 1) otherwise, as for Dense. Undefined when the call does not qualify.
 */
export function passthroughGeometry(call: LatencyCall): { geometry: LatencyGeometry; sizes: number[] } | undefined {
  const shapes = call.inputShapes;
  const first = shapes[0];
  if (first === undefined || shapes.some((s) => s.length !== first.length || s.some((d, i) => d !== first[i]))) return undefined;
  const sizes = knownDims(first);
  if (sizes === undefined || !channelsLast(call.config)) return undefined;
  const channels = sizes[sizes.length - 1] as number;
  const fmap = sizes.length === 3 ? { height: sizes[0] as number, width: sizes[1] as number } : { height: product(sizes.slice(0, -1)), width: 1 };
  return {
    sizes,
    geometry: { cin: channels, cout: channels, ...fmap, kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid', groups: channels, multiplier: 1 },
  };
}

/** The shape of a tensor's first call: helper for Shape lists. */
export function lastAxis(shape: readonly number[] | undefined): number {
  return shape === undefined ? 0 : (shape[shape.length - 1] ?? 0);
}
