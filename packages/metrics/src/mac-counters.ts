import type * as tf from '@tensorflow/tfjs';

/**
 * One call of a layer inside a model, with every unknown (batch) dimension set to 1,
 * so that a counter returns the cost of ONE example.
 */
export interface LayerCall {
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
}

/** Returns the multiply–accumulates of one call of `layer` on one example. */
export type MacCounter = (layer: tf.layers.Layer, call: LayerCall) => number;

/*
 * Convention (the one Keras/PyTorch FLOP counters such as ptflops and Torch-Pruning use):
 * - one MAC = one multiply plus one add of a weight with an activation;
 * - bias adds, BatchNormalization, activations, pooling, merges (Add, Concatenate …), reshapes,
 *   up-sampling and padding cost 0 (they are memory-bound and small next to convs and matmuls);
 * - Conv1D/2D/3D: out positions × out channels × kernel taps × in channels / groups;
 * - DepthwiseConv2D: out positions × out channels × kernel taps;
 * - SeparableConv2D: its depthwise part plus its pointwise (1×1) part;
 * - Conv2DTranspose/Conv3DTranspose: in positions × in channels × kernel taps × out channels
 *   (every input pixel scatters one kernel);
 * - Dense on any rank: positions (all dims but batch and last) × in units × out units.
 * Layers of other classes count 0 unless a counter is registered with `registerMacCounter`.
 */

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

interface ConvConfig {
  kernelSize?: number | number[];
  dataFormat?: string;
  depthMultiplier?: number;
  groups?: number;
}

function configOf(layer: tf.layers.Layer): ConvConfig {
  return layer.getConfig() as ConvConfig;
}

/** Splits a shape [1, ...spatial, c] (or [1, c, ...spatial] for channelsFirst) into spatial dims and channels. */
function splitChannels(shape: readonly number[], dataFormat: string | undefined): { spatial: number[]; channels: number } {
  if (dataFormat === 'channelsFirst') return { spatial: shape.slice(2), channels: shape[1] ?? 1 };
  return { spatial: shape.slice(1, -1), channels: shape[shape.length - 1] ?? 1 };
}

function kernelTaps(config: ConvConfig, rank: number): number {
  const k = config.kernelSize ?? 1;
  return Array.isArray(k) ? product(k) : k ** rank;
}

function firstShapes(call: LayerCall): { input: readonly number[]; output: readonly number[] } {
  return { input: call.inputShapes[0] ?? [], output: call.outputShapes[0] ?? [] };
}

const convMacs: MacCounter = (layer, call) => {
  const config = configOf(layer);
  const { input, output } = firstShapes(call);
  const inp = splitChannels(input, config.dataFormat);
  const out = splitChannels(output, config.dataFormat);
  const groups = config.groups ?? 1;
  return product(out.spatial) * out.channels * kernelTaps(config, out.spatial.length) * (inp.channels / groups);
};

const depthwiseMacs: MacCounter = (layer, call) => {
  const config = configOf(layer);
  const out = splitChannels(firstShapes(call).output, config.dataFormat);
  return product(out.spatial) * out.channels * kernelTaps(config, out.spatial.length);
};

const separableMacs: MacCounter = (layer, call) => {
  const config = configOf(layer);
  const { input, output } = firstShapes(call);
  const inp = splitChannels(input, config.dataFormat);
  const out = splitChannels(output, config.dataFormat);
  const mid = inp.channels * (config.depthMultiplier ?? 1);
  const positions = product(out.spatial);
  return positions * mid * kernelTaps(config, out.spatial.length) + positions * mid * out.channels;
};

const transposeConvMacs: MacCounter = (layer, call) => {
  const config = configOf(layer);
  const { input, output } = firstShapes(call);
  const inp = splitChannels(input, config.dataFormat);
  const out = splitChannels(output, config.dataFormat);
  return product(inp.spatial) * inp.channels * kernelTaps(config, inp.spatial.length) * out.channels;
};

const denseMacs: MacCounter = (_layer, call) => {
  const { input, output } = firstShapes(call);
  const positions = product(output.slice(1, -1));
  return positions * (input[input.length - 1] ?? 0) * (output[output.length - 1] ?? 0);
};

const counters = new Map<string, MacCounter>([
  ['Conv1D', convMacs],
  ['Conv2D', convMacs],
  ['Conv3D', convMacs],
  ['DepthwiseConv2D', depthwiseMacs],
  ['SeparableConv2D', separableMacs],
  ['Conv2DTranspose', transposeConvMacs],
  ['Conv3DTranspose', transposeConvMacs],
  ['Dense', denseMacs],
]);

/**
 * Teaches `layerCosts`/`totalMacs` the cost of a custom layer class (e.g. a plugin's CondConv).
 * A later registration for the same class name replaces the earlier one.
 *
 * ```ts
 * registerMacCounter('CondConv2D', (layer, call) => {
 *   const [, h, w, c] = call.outputShapes[0]!;
 *   return h! * w! * c! * 9 * call.inputShapes[0]![3]!;
 * });
 * ```
 */
export function registerMacCounter(className: string, counter: MacCounter): void {
  counters.set(className, counter);
}

/**
 * The counter for a layer class, or undefined when that class costs 0 by convention.
 *
 * ```ts
 * const count = macCounterFor('Conv2D');
 * ```
 */
export function macCounterFor(className: string): MacCounter | undefined {
  return counters.get(className);
}
