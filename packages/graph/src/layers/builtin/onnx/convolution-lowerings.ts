import type { OnnxLowering, OnnxLoweringContext, OnnxValue } from '../../onnx-lowering.js';
import { activationOf, applyActivation, configPair, isChannelsFirstConfig, numberOr, permuted, spatialOf, windowPads } from './onnx-helpers.js';

/** ONNX lowerings of Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose and Dense (weights permuted to ONNX's layouts). */

interface ConvInput {
  readonly x: string;
  readonly layout: OnnxValue['layout'];
  readonly spatial: readonly (number | null)[];
}

/** The input in NCHW: the channels-first value, or the native one of a channels-first layer. */
function convInput(ctx: OnnxLoweringContext): ConvInput {
  const spatial = spatialOf(ctx, ctx.inputShapes[0]);
  const layout = isChannelsFirstConfig(ctx.config) ? 'native' : 'channels-first';
  return { x: ctx.input(0, layout), layout, spatial };
}

function windowAttributes(ctx: OnnxLoweringContext, spatial: readonly (number | null)[], kernel: readonly [number, number], group: number) {
  const stride = configPair(ctx, 'strides', 1);
  const dilation = configPair(ctx, 'dilation_rate', 1);
  return {
    kernel_shape: { ints: kernel },
    strides: { ints: stride },
    dilations: { ints: dilation },
    pads: { ints: windowPads(ctx, spatial, kernel, stride, dilation) },
    group: { int: group },
  };
}

/** The bias initializer: the layer's bias, or zeros (so that a BatchNorm can fold a shift into it). */
function biasOf(ctx: OnnxLoweringContext, channels: number, name = 'bias'): string {
  const values = ctx.config['use_bias'] !== false && ctx.hasWeight(name) ? ctx.weight(name).values : new Float32Array(channels);
  return ctx.floatInitializer(values, [channels], 'bias');
}

function finish(ctx: OnnxLoweringContext, y: string, layout: OnnxValue['layout']): OnnxValue[] {
  return [applyActivation(ctx, { name: y, layout }, activationOf(ctx.config), 4)];
}

/** Conv2D: kernel [kh, kw, cin/g, cout] → W [cout, cin/g, kh, kw]. */
export const conv2dLowering: OnnxLowering = {
  lower(ctx) {
    const { x, layout, spatial } = convInput(ctx);
    const kernel = ctx.weight('kernel');
    const [kh, kw, ci, co] = kernel.shape as [number, number, number, number];
    const groups = numberOr(ctx.config, 'groups', 1);
    const w = ctx.floatInitializer(permuted(kernel.values, kernel.shape, [3, 2, 0, 1]), [co, ci, kh, kw], 'kernel');
    const b = biasOf(ctx, co);
    const y = ctx.node('Conv', [x, w, b], windowAttributes(ctx, spatial, [kh, kw], groups));
    ctx.foldable(y, w, b);
    return finish(ctx, y, layout);
  },
};

/** DepthwiseConv2D: kernel [kh, kw, cin, m] → W [cin·m, 1, kh, kw], group cin (output channel c·m + j). */
function depthwiseNode(ctx: OnnxLoweringContext, input: ConvInput, kernelName: string, bias: 'bias' | 'none'): { y: string; w: string; b: string; channels: number } {
  const kernel = ctx.weight(kernelName);
  const [kh, kw, ci, m] = kernel.shape as [number, number, number, number];
  const w = ctx.floatInitializer(permuted(kernel.values, kernel.shape, [2, 3, 0, 1]), [ci * m, 1, kh, kw], 'depthwise_kernel');
  const b = bias === 'bias' ? biasOf(ctx, ci * m) : ctx.floatInitializer(new Float32Array(ci * m), [ci * m], 'bias');
  return { y: ctx.node('Conv', [input.x, w, b], windowAttributes(ctx, input.spatial, [kh, kw], ci)), w, b, channels: ci * m };
}

export const depthwiseConv2dLowering: OnnxLowering = {
  lower(ctx) {
    const input = convInput(ctx);
    const { y, w, b } = depthwiseNode(ctx, input, 'depthwise_kernel', 'bias');
    ctx.foldable(y, w, b);
    return finish(ctx, y, input.layout);
  },
};

/** SeparableConv2D: the depthwise Conv (group cin), then a 1×1 Conv from pointwise_kernel [1, 1, cin·m, cout]. */
export const separableConv2dLowering: OnnxLowering = {
  lower(ctx) {
    const input = convInput(ctx);
    const depthwise = depthwiseNode(ctx, input, 'depthwise_kernel', 'none');
    const pointwise = ctx.weight('pointwise_kernel');
    const [, , mid, co] = pointwise.shape as [number, number, number, number];
    const w = ctx.floatInitializer(permuted(pointwise.values, pointwise.shape, [3, 2, 0, 1]), [co, mid, 1, 1], 'pointwise_kernel');
    const b = biasOf(ctx, co);
    const y = ctx.node('Conv', [depthwise.y, w, b], { kernel_shape: { ints: [1, 1] } });
    ctx.foldable(y, w, b);
    return finish(ctx, y, input.layout);
  },
};

/**
 * Conv2DTranspose: kernel [kh, kw, cout, cin] → W [cin, cout, kh, kw]. Pads and output padding are
 * those that give Keras's output size: `valid` in·s + max(k − s, 0), `same` in·s.
 */
export const conv2dTransposeLowering: OnnxLowering = {
  lower(ctx) {
    const { x, layout, spatial } = convInput(ctx);
    const kernel = ctx.weight('kernel');
    const [kh, kw, co, ci] = kernel.shape as [number, number, number, number];
    const stride = configPair(ctx, 'strides', 1);
    const dilation = configPair(ctx, 'dilation_rate', 1);
    if (dilation[0] !== 1 || dilation[1] !== 1) ctx.unsupported('dilated transposed convolutions are not lowered');
    const padding = ctx.config['padding'] ?? 'valid';
    const begin: number[] = [];
    const end: number[] = [];
    const outputPadding: number[] = [];
    [kh, kw].forEach((k, i) => {
      const s = stride[i] as number;
      const total = padding === 'same' ? Math.max(k - s, 0) : 0;
      if (padding !== 'same' && padding !== 'valid') ctx.unsupported(`padding "${String(padding)}" is not "same" or "valid"`);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
      outputPadding.push(Math.max(s - k, 0));
    });
    if (spatial.some((d) => d === null)) ctx.unsupported('transposed convolutions need known rows and columns');
    const w = ctx.floatInitializer(permuted(kernel.values, kernel.shape, [3, 2, 0, 1]), [ci, co, kh, kw], 'kernel');
    const b = biasOf(ctx, co);
    const y = ctx.node('ConvTranspose', [x, w, b], {
      kernel_shape: { ints: [kh, kw] }, strides: { ints: stride }, pads: { ints: [...begin, ...end] }, output_padding: { ints: outputPadding },
    });
    return finish(ctx, y, layout);
  },
};

/** Dense: rank 2 → Gemm(x, Wᵀ [units, in], b) (foldable); higher ranks → MatMul + Add over the last native axis. */
export const denseLowering: OnnxLowering = {
  lower(ctx) {
    const rank = ctx.inputShapes[0]?.length ?? 0;
    const kernel = ctx.weight('kernel');
    const [inUnits, units] = kernel.shape as [number, number];
    const x = ctx.input(0, 'native');
    const identifier = activationOf(ctx.config);
    if (rank === 2) {
      const w = ctx.floatInitializer(permuted(kernel.values, kernel.shape, [1, 0]), [units, inUnits], 'kernel');
      const b = biasOf(ctx, units);
      const y = ctx.node('Gemm', [x, w, b], { transB: { int: 1 } });
      ctx.foldable(y, w, b);
      return [applyActivation(ctx, { name: y, layout: 'native' }, identifier, 2)];
    }
    const w = ctx.floatInitializer(kernel.values, kernel.shape, 'kernel');
    let y = ctx.node('MatMul', [x, w]);
    if (ctx.config['use_bias'] !== false && ctx.hasWeight('bias')) y = ctx.node('Add', [y, ctx.floatInitializer(ctx.weight('bias').values, [units], 'bias')]);
    return [applyActivation(ctx, { name: y, layout: 'native' }, identifier, rank)];
  },
};
