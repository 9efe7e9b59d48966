import type { Shape } from '../graph/model-graph.js';
import type { LayerConfigJson } from '../topology/keras-json.js';

/**
 * How one layer call becomes ONNX nodes: the part of a `LayerOperation` an ONNX exporter reads.
 * The graph package knows no protobuf; an exporter (`@whittle/plugin-onnx`) implements the
 * context, and each lowering adds nodes and initializers through it.
 *
 * Layout: tfjs is NHWC, ONNX's Conv/Pool ops are NCHW. A rank-4 value may live in either order:
 * `native` is the tfjs order (any rank), `channels-first` is NCHW (rank 4 only). A lowering asks for
 * each input in the order it needs (`input(i, layout)`; the exporter adds a Transpose once where the
 * value is in the other order) and says which order each output is in.
 */
export type OnnxLayout = 'native' | 'channels-first';

/** A value in the ONNX graph: its name and the order of its axes. */
export interface OnnxValue {
  readonly name: string;
  readonly layout: OnnxLayout;
}

/** An ONNX node attribute, typed as ONNX types them (numbers alone do not say int or float). */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly string: string };

/** A layer weight as float32 values in tfjs's shape (`kernel` of a Conv2D: [kh, kw, cin, cout]). */
export interface OnnxWeight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** What a lowering sees of one layer call, and how it adds to the ONNX graph. */
export interface OnnxLoweringContext {
  /** The layer's name and class (for error messages). */
  readonly layer: string;
  readonly className: string;
  /** The layer config, Keras snake_case. */
  readonly config: Readonly<LayerConfigJson>;
  /** Native (tfjs-order) shapes of the call's inputs and outputs, batch as null. */
  readonly inputShapes: readonly Shape[];
  readonly outputShapes: readonly Shape[];
  /** The call's inputs as the graph has them now. */
  readonly inputs: readonly OnnxValue[];
  /** Input `index` in `layout` (channels-first applies to rank-4 values; other ranks are always native). */
  input(index: number, layout: OnnxLayout): string;
  /** A weight by short name (`kernel`, `bias`, `gamma` …); an error naming the layer when it has none. */
  weight(shortName: string): OnnxWeight;
  hasWeight(shortName: string): boolean;
  /** A float32 initializer; returns its name. */
  floatInitializer(values: Float32Array | readonly number[], dims: readonly number[], hint?: string): string;
  /** An int64 initializer (shapes, pads, axes); returns its name. */
  intInitializer(values: readonly number[], dims?: readonly number[], hint?: string): string;
  /** Adds a node with one output; returns the output's name. */
  node(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttribute>>): string;
  /**
   * Declares `output` the result of a node whose output channels are the rows of the float
   * initializer `kernel` (first axis) plus the initializer `bias`: a following per-channel affine
   * map (an inference BatchNormalization) can be folded into them.
   */
  foldable(output: string, kernel: string, bias: string): void;
  /**
   * Folds `y = x · scale + shift` (per channel) into the producer of input `index`, when that input
   * is a `foldable` output read by this layer alone and not a model output; returns the folded value, or
   * undefined when it cannot be folded (then the caller adds the nodes).
   */
  foldScaleShift(index: number, scale: Float32Array, shift: Float32Array): OnnxValue | undefined;
  /** Throws an export error naming the layer, its class and `reason`. */
  unsupported(reason: string): never;
}

/**
 * A layer class's ONNX lowering: the nodes one call becomes and its outputs (one per tfjs
 * output). A layer that computes nothing at inference (Dropout) returns its input.
 *
 * ```ts
 * const scaleLowering: OnnxLowering = {
 *   lower(ctx) {
 *     const scale = ctx.weight('scale');
 *     const x = ctx.input(0, 'native');
 *     return [{ name: ctx.node('Mul', [x, ctx.floatInitializer(scale.values, scale.shape)]), layout: 'native' }];
 *   },
 * };
 * ```
 */
export interface OnnxLowering {
  lower(ctx: OnnxLoweringContext): readonly OnnxValue[];
}
