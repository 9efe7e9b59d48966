import type { ChannelRule } from '../../channels/channel-rules.js';
import type { GraphNode } from '../../graph/model-graph.js';
import { numberField, stringField, type LayerConfigJson } from '../../topology/keras-json.js';
import type { ConcreteLayerCall, GemmShape, LatencyCall, LatencyInputs, LayerKeep, LayerOperation, WeightAxis } from '../layer-operation.js';
import { conv2dLowering, conv2dTransposeLowering, denseLowering, depthwiseConv2dLowering, separableConv2dLowering } from './onnx/convolution-lowerings.js';
import type { OnnxLowering } from '../onnx-lowering.js';
import { biasTerms, channelsLast, costKernelTaps, knownDims, lastAxis, macKernelTaps, pair, positions, product, spatialRank, splitChannels } from './call-geometry.js';

/** Dense, Conv1D/2D/3D, their transposes, SeparableConv2D and DepthwiseConv2D. */

/** A producer's rule: `units`/`filters` new channels; grouped convolutions are not pruned. */
function producerRule(countKey: 'units' | 'filters') {
  return (node: GraphNode, config: Readonly<LayerConfigJson>): ChannelRule => {
    const units = numberField(config, countKey);
    if (units === undefined) return { kind: 'opaque', reason: `layer "${node.layer}" (${node.className}) has no ${countKey} in its config` };
    if ((numberField(config, 'groups') ?? 1) !== 1) return { kind: 'opaque', reason: `layer "${node.layer}" (${node.className}) is a grouped convolution` };
    return { kind: 'producer', units, softmax: stringField(config, 'activation') === 'softmax' };
  };
}

function resizeCount(countKey: 'units' | 'filters') {
  return (config: LayerConfigJson, keep: LayerKeep): void => {
    if (keep.out !== null) config[countKey] = keep.out.length;
  };
}

function firstShapes(call: ConcreteLayerCall): { input: readonly number[]; output: readonly number[] } {
  return { input: call.inputShapes[0] ?? [], output: call.outputShapes[0] ?? [] };
}

/** A convolution call as a GEMM: M = output positions, K = kernel taps × input channels per group, N = filters. */
function convGemm(call: ConcreteLayerCall): GemmShape {
  const { input, output } = firstShapes(call);
  const inp = splitChannels(input, call.config);
  const out = splitChannels(output, call.config);
  const groups = numberField(call.config, 'groups') ?? 1;
  return { m: product(out.spatial), k: macKernelTaps(call.config, out.spatial.length) * (inp.channels / groups), n: out.channels };
}

/** A Dense call as a GEMM: M = positions (every axis but the first and last), K = input units, N = units. */
function denseGemm(call: ConcreteLayerCall): GemmShape {
  const { input, output } = firstShapes(call);
  return { m: product(output.slice(1, -1)), k: lastAxis(input), n: lastAxis(output) };
}

/** The MACs of a layer that runs as one GEMM: M·K·N. */
function gemmMacs(gemm: (call: ConcreteLayerCall) => GemmShape): (call: ConcreteLayerCall) => number {
  return (call) => {
    const { m, k, n } = gemm(call);
    return m * k * n;
  };
}

function transposeMacs(call: ConcreteLayerCall): number {
  const { input, output } = firstShapes(call);
  const inp = splitChannels(input, call.config);
  const out = splitChannels(output, call.config);
  return product(inp.spatial) * inp.channels * macKernelTaps(call.config, inp.spatial.length) * out.channels;
}

/** A 2-D image call's geometry (kernel, stride, dilation, padding) for a latency table; undefined when it is not one. */
function convLatency(call: LatencyCall, op: 'conv2d' | 'depthwise' | 'conv2d-transpose' | 'separable'): LatencyInputs | undefined {
  if (call.inputShapes.length !== 1) return undefined;
  const dims = knownDims(call.inputShapes[0]);
  if (dims === undefined || dims.length !== 3 || !channelsLast(call.config)) return undefined;
  const config = call.config;
  const padding = config['padding'];
  const kernel = pair(config['kernel_size'], 1);
  const stride = pair(config['strides'], 1);
  const dilation = pair(config['dilation_rate'], 1);
  if ((padding !== 'same' && padding !== 'valid') || kernel === undefined || stride === undefined || dilation === undefined) return undefined;
  const cin = dims[2] as number;
  const fmap = { cin, height: dims[0] as number, width: dims[1] as number, kernel, stride, dilation, padding } as const;
  const multiplier = numberField(config, 'depth_multiplier') ?? 1;
  if (op === 'depthwise') return { ...fmap, op, cout: cin * multiplier, groups: cin, multiplier };
  const filters = numberField(config, 'filters');
  if (filters === undefined) return undefined;
  if (op === 'separable') return { ...fmap, op, cout: filters, groups: cin, multiplier };
  return { ...fmap, op, cout: filters, groups: 1, multiplier: 1 };
}

const CONV_AXES: Readonly<Record<string, readonly WeightAxis[]>> = {
  kernel: [{ axis: -2, role: 'in' }, { axis: -1, role: 'out' }],
  bias: [{ axis: 0, role: 'out' }],
};
// tfjs keeps transposed-conv kernels as [..., filters, inChannels].
const CONV_TRANSPOSE_AXES: Readonly<Record<string, readonly WeightAxis[]>> = {
  kernel: [{ axis: -2, role: 'out' }, { axis: -1, role: 'in' }],
  bias: [{ axis: 0, role: 'out' }],
};

function convolution(className: string, latencyOp?: 'conv2d', onnx?: OnnxLowering): LayerOperation {
  return {
    className,
    ...(onnx === undefined ? {} : { onnx }),
    channelRule: producerRule('filters'),
    weightAxes: CONV_AXES,
    resizeConfig: resizeCount('filters'),
    filters: { suffix: '/kernel', fromEnd: 1 },
    channelCost(layer) {
      const config = layer.config;
      const taps = costKernelTaps(config, spatialRank(layer));
      const outPositions = positions(layer, 'out');
      return (i, o) => ({ params: taps * i * o + biasTerms(config) * o, macs: outPositions * o * taps * i });
    },
    macs: gemmMacs(convGemm),
    gemm: convGemm,
    ...(latencyOp === undefined ? {} : { latency: (call: LatencyCall) => convLatency(call, latencyOp) }),
  };
}

function transposedConvolution(className: string, latencyOp?: 'conv2d-transpose', onnx?: OnnxLowering): LayerOperation {
  return {
    className,
    ...(onnx === undefined ? {} : { onnx }),
    channelRule: producerRule('filters'),
    weightAxes: CONV_TRANSPOSE_AXES,
    resizeConfig: resizeCount('filters'),
    filters: { suffix: '/kernel', fromEnd: 2 },
    channelCost(layer) {
      const config = layer.config;
      const taps = costKernelTaps(config, spatialRank(layer));
      const inPositions = positions(layer, 'in');
      return (i, o) => ({ params: taps * i * o + biasTerms(config) * o, macs: inPositions * i * taps * o });
    },
    macs: transposeMacs,
    ...(latencyOp === undefined ? {} : { latency: (call: LatencyCall) => convLatency(call, latencyOp) }),
  };
}

const dense: LayerOperation = {
  className: 'Dense',
  onnx: denseLowering,
  channelRule: producerRule('units'),
  weightAxes: { kernel: [{ axis: 0, role: 'in' }, { axis: 1, role: 'out' }], bias: [{ axis: 0, role: 'out' }] },
  resizeConfig: resizeCount('units'),
  filters: { suffix: '/kernel', fromEnd: 1 },
  channelCost(layer) {
    const config = layer.config;
    const outPositions = positions(layer, 'out');
    return (i, o) => ({ params: i * o + biasTerms(config) * o, macs: outPositions * i * o });
  },
  macs: gemmMacs(denseGemm),
  gemm: denseGemm,
  latency(call) {
    if (call.inputShapes.length !== 1) return undefined;
    const dims = knownDims(call.inputShapes[0]);
    const units = numberField(call.config, 'units');
    if (dims === undefined || units === undefined) return undefined;
    return {
      op: 'dense', cin: dims[dims.length - 1] as number, cout: units, height: product(dims.slice(0, -1)), width: 1,
      kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid', groups: 1, multiplier: 1,
    };
  },
};

const depthwiseConv2D: LayerOperation = {
  className: 'DepthwiseConv2D',
  onnx: depthwiseConv2dLowering,
  channelRule: (_node, config) => ({ kind: 'depthwise', multiplier: numberField(config, 'depth_multiplier') ?? 1 }),
  weightAxes: { depthwise_kernel: [{ axis: 2, role: 'in' }], bias: [{ axis: 0, role: 'out' }] },
  // [kh, kw, in, m]: output channel c·m + j is the filter [:, :, c, j].
  filters: { suffix: '/depthwise_kernel', fromEnd: 1, flattenLastTwo: true },
  channelCost(layer) {
    const config = layer.config;
    const taps = costKernelTaps(config, spatialRank(layer));
    const outPositions = positions(layer, 'out');
    const m = numberField(config, 'depth_multiplier') ?? 1;
    return (i) => ({ params: taps * i * m + biasTerms(config) * i * m, macs: outPositions * i * m * taps });
  },
  macs(call) {
    const out = splitChannels(firstShapes(call).output, call.config);
    return product(out.spatial) * out.channels * macKernelTaps(call.config, out.spatial.length);
  },
  latency: (call) => convLatency(call, 'depthwise'),
  // As N3H-Core's reference MobileNet-V2 GEMM arrays map it: one GEMM of K = taps and N = every output
  // channel (each output channel reads only its own input channel's taps), so M·K·N = the MACs.
  gemm(call) {
    const out = splitChannels(firstShapes(call).output, call.config);
    return { m: product(out.spatial), k: macKernelTaps(call.config, out.spatial.length), n: out.channels };
  },
};

const separableConv2D: LayerOperation = {
  className: 'SeparableConv2D',
  onnx: separableConv2dLowering,
  channelRule: producerRule('filters'),
  weightAxes: {
    depthwise_kernel: [{ axis: 2, role: 'in' }],
    pointwise_kernel: [{ axis: 2, role: 'inExpanded' }, { axis: 3, role: 'out' }],
    bias: [{ axis: 0, role: 'out' }],
  },
  resizeConfig: resizeCount('filters'),
  // The pointwise half writes the outputs.
  filters: { suffix: '/pointwise_kernel', fromEnd: 1 },
  channelCost(layer) {
    const config = layer.config;
    const taps = costKernelTaps(config, spatialRank(layer));
    const outPositions = positions(layer, 'out');
    const m = numberField(config, 'depth_multiplier') ?? 1;
    return (i, o) => ({ params: taps * i * m + i * m * o + biasTerms(config) * o, macs: outPositions * (i * m * taps + i * m * o) });
  },
  macs(call) {
    const { input, output } = firstShapes(call);
    const inp = splitChannels(input, call.config);
    const out = splitChannels(output, call.config);
    const mid = inp.channels * (numberField(call.config, 'depth_multiplier') ?? 1);
    const at = product(out.spatial);
    return at * mid * macKernelTaps(call.config, out.spatial.length) + at * mid * out.channels;
  },
  latency: (call) => convLatency(call, 'separable'),
};

export const CONVOLUTION_OPERATIONS: readonly LayerOperation[] = [
  dense,
  convolution('Conv1D'),
  convolution('Conv2D', 'conv2d', conv2dLowering),
  convolution('Conv3D'),
  transposedConvolution('Conv2DTranspose', 'conv2d-transpose', conv2dTransposeLowering),
  transposedConvolution('Conv3DTranspose'),
  depthwiseConv2D,
  separableConv2D,
];
