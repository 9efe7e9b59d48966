import type { ChannelRule } from '../channels/channel-rules.js';
import type { GraphLayer, GraphNode, Shape } from '../graph/model-graph.js';
import type { LayerConfigJson } from '../topology/keras-json.js';
import type { OnnxLowering } from './onnx-lowering.js';
import type { LinearExpansion } from './expansion/linear-expansion.js';

/**
 * Which channels of a layer survive pruning: input axis, output axis (null = all of them).
 */
export interface LayerKeep {
  readonly in: readonly number[] | null;
  readonly out: readonly number[] | null;
  /** Depth multiplier of a SeparableConv2D: its pointwise kernel reads in·multiplier channels. */
  readonly multiplier: number;
}

/** Which channel set one axis of a weight indexes: the layer's inputs, its outputs, or its inputs × the depth multiplier. */
export type AxisRole = 'in' | 'out' | 'inExpanded';

/** One channel axis of one weight. */
export interface WeightAxis {
  /** Axis of the weight; negative counts from the end. */
  readonly axis: number;
  readonly role: AxisRole;
  /** The axis may have size 1 and broadcast over the channels (PReLU's shared alpha): then it is not sliced. */
  readonly broadcast?: boolean;
}

/** Which weight holds a layer's output filters, and which of its axes counts output channels. */
export interface FilterWeight {
  /** The weight's name suffix, e.g. `/kernel`. */
  readonly suffix: string;
  /** Axis from the end: 1 = last axis. */
  readonly fromEnd: number;
  /** DepthwiseConv2D: the last two axes (in, multiplier) are flattened into its output channels. */
  readonly flattenLastTwo?: boolean;
}

/** Parameters and multiply–accumulates (one example) of a layer. */
export interface Cost {
  readonly params: number;
  readonly macs: number;
}

/** A layer's cost as a function of its input and output channel counts. */
export type CostFunction = (inChannels: number, outChannels: number) => Cost;

/** One call of a layer on ONE example: every unknown (batch) dimension is 1. Config in the graph's dialect (Keras snake_case). */
export interface ConcreteLayerCall {
  readonly config: Readonly<LayerConfigJson>;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
}

/** One call of a layer at full width as a latency model sees it: config (Keras snake_case) and input shapes (batch first, may be null). */
export interface LatencyCall {
  readonly config: Readonly<LayerConfigJson>;
  readonly inputShapes: readonly Shape[];
}

/** Layers with weights that mix channels (or, depthwise, filter each one). */
export type WeightedLatencyOp = 'conv2d' | 'depthwise' | 'dense' | 'conv2d-transpose' | 'separable';

/** The function an activation layer runs, named after the tfjs ops it runs. */
export type ActivationKind = 'relu' | 'relu-max' | 'relu6' | 'leaky-relu' | 'elu' | 'selu' | 'sigmoid' | 'hard-sigmoid' | 'tanh'
  | 'softplus' | 'softsign' | 'swish' | 'mish' | 'gelu' | 'gelu-new' | 'thresholded-relu';

/** Element-wise merges. */
export type MergeKind = 'add' | 'subtract' | 'multiply' | 'average' | 'maximum' | 'minimum';

/** The geometry every latency description has (see the profiler's `SignatureFields`, which adds batch and device). */
export interface LatencyGeometry {
  /** Input channels (a merge: of each input). */
  readonly cin: number;
  /** Output channels (depthwise: cin × multiplier; passthrough ops: cin). */
  readonly cout: number;
  /** Input feature map height and width. */
  readonly height: number;
  readonly width: number;
  /** Convolution kernel, or pooling window. */
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: 'same' | 'valid';
  /** Convolution groups: 1, or cin for depthwise (and the depthwise half of a separable conv) and passthrough ops. */
  readonly groups: number;
  /** Depth multiplier (depthwise, separable); 1 otherwise. */
  readonly multiplier: number;
}

/**
 * What a latency model needs to know about one layer call, besides the batch size and the device:
 * the op kind a latency table measures and its geometry at full width.
 */
export type LatencyInputs =
  | (LatencyGeometry & { readonly op: WeightedLatencyOp })
  | (LatencyGeometry & { readonly op: 'batch-norm' })
  | (LatencyGeometry & { readonly op: 'activation'; readonly activation: ActivationKind })
  | (LatencyGeometry & { readonly op: 'merge'; readonly merge: MergeKind; readonly inputs: number })
  | (LatencyGeometry & { readonly op: 'max-pool' | 'avg-pool' | 'global-avg-pool' | 'global-max-pool' })
  | (LatencyGeometry & { readonly op: 'zero-pad'; readonly pads: readonly [number, number, number, number] });

/** A matrix product `[M×K]·[K×N]` a layer call lowers to (im2col for convolutions), per example. */
export interface GemmShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/**
 * Everything Whittle knows about one layer class, in one object (Torch-Pruning's `PrunerBox` entry).
 * Every field but `className` is optional: a layer whose operation lacks a field is treated
 * conservatively for what that field decides — no channel rule blocks pruning of every group the
 * layer touches, no `macs` counts 0 MACs, no `latency` leaves the layer to a latency model's constant.
 * Configs are always in the graph's one dialect, Keras snake_case (`depth_multiplier`,
 * `data_format: 'channels_last'`): tfjs `getConfig()` output is converted once with `kerasLayerConfig`.
 *
 * ```ts
 * const scale: LayerOperation = {
 *   className: 'ChannelScale',
 *   channelRule: () => ({ kind: 'channelwise' }),
 *   weightAxes: { scale: [{ axis: 0, role: 'in' }] },
 *   macs: (call) => call.outputShapes[0]!.reduce((a, b) => a * b, 1),
 * };
 * ```
 */
export interface LayerOperation {
  /** The tfjs / Keras class name (`layer.getClassName()`, `class_name` in the topology). */
  readonly className: string;
  /** What one call does to the channel axis. Missing: the layer is opaque, every group it touches is unprunable. */
  channelRule?(node: GraphNode, config: Readonly<LayerConfigJson>): ChannelRule;
  /**
   * The channel axes of each weight, by the weight's short name (after the last `/`). A pruned layer
   * whose weight is missing here is a bug the slicer reports; layers without weights leave it out.
   */
  readonly weightAxes?: Readonly<Record<string, readonly WeightAxis[]>>;
  /** Edits the layer's config for the kept channels (a producer's `filters`/`units`, a Reshape's target shape). */
  resizeConfig?(config: LayerConfigJson, keep: LayerKeep): void;
  /** Where its output filters are, for magnitude importance (`filterMagnitudes`). */
  readonly filters?: FilterWeight;
  /** Parameters and MACs as functions of the channel counts (group costs); undefined when they do not depend on channels. */
  channelCost?(layer: GraphLayer): CostFunction | undefined;
  /** Multiply–accumulates of one call on one example (kernel convention: bias, BN, activations, pooling, merges cost 0). */
  macs?(call: ConcreteLayerCall): number;
  /** The latency description of one call, or undefined when a latency table does not model it. */
  latency?(call: LatencyCall): LatencyInputs | undefined;
  /** The matrix product one call lowers to (read by the FPGA model of @whittle/plugin-n3h). */
  gemm?(call: ConcreteLayerCall): GemmShape | undefined;
  /** Linear over-parameterisation: how the layer expands into an exactly equal linear chain and merges back (`expandLinear`, `mergeLinear`). */
  readonly linearExpansion?: LinearExpansion;
  /** Reserved for quantization (not read yet): short names of the weights that may be quantized. */
  readonly quantizableWeights?: readonly string[];
  /**
   * How one call becomes ONNX nodes (read by `@whittle/plugin-onnx`'s exporter). Missing: the
   * exporter refuses the model, naming the layer and its class.
   */
  readonly onnx?: OnnxLowering;
}
