import { numberField, stringField } from '../../../topology/keras-json.js';
import type { OnnxAttribute, OnnxLowering, OnnxLoweringContext, OnnxValue } from '../../onnx-lowering.js';
import { applyActivation, channelsFirstAxis, clip, configPair, edgeAmounts, numberOr, spatialOf, windowPads } from './onnx-helpers.js';

/** Activation layers, pooling, padding, cropping, up-sampling, rescaling, and layers that do nothing at inference. */

/** Dropout, GaussianNoise …: the input itself (no node). */
export const identityLowering: OnnxLowering = { lower: (ctx) => [ctx.inputs[0] as OnnxValue] };

/** Element-wise on the input in whatever layout it has. */
function elementwise(apply: (ctx: OnnxLoweringContext, x: string) => string): OnnxLowering {
  return {
    lower(ctx) {
      const value = ctx.inputs[0] as OnnxValue;
      return [{ name: apply(ctx, ctx.input(0, value.layout)), layout: value.layout }];
    },
  };
}

/** ReLU(max_value, negative_slope, threshold) as tfjs's layer computes it (threshold 0 only). */
export const reluLowering: OnnxLowering = elementwise((ctx, x) => {
  const max = numberField(ctx.config, 'max_value');
  const slope = numberOr(ctx.config, 'negative_slope', 0);
  if (numberOr(ctx.config, 'threshold', 0) !== 0) return ctx.unsupported('a ReLU threshold other than 0 is not lowered');
  if (slope !== 0) {
    const leaky = ctx.node('LeakyRelu', [x], { alpha: { float: slope } });
    return max === undefined ? leaky : ctx.node('Min', [leaky, ctx.floatInitializer([max], [], 'relu_max')]);
  }
  return max === undefined ? ctx.node('Relu', [x]) : clip(ctx, x, 0, max);
});

export const leakyReluLowering: OnnxLowering = elementwise((ctx, x) => ctx.node('LeakyRelu', [x], { alpha: { float: numberOr(ctx.config, 'alpha', 0.3) } }));
export const eluLowering: OnnxLowering = elementwise((ctx, x) => ctx.node('Elu', [x], { alpha: { float: numberOr(ctx.config, 'alpha', 1) } }));
export const thresholdedReluLowering: OnnxLowering = elementwise((ctx, x) => ctx.node('ThresholdedRelu', [x], { alpha: { float: numberOr(ctx.config, 'theta', 1) } }));

/** Activation(identifier). */
export const activationLowering: OnnxLowering = {
  lower(ctx) {
    const value = ctx.inputs[0] as OnnxValue;
    return [applyActivation(ctx, value, stringField(ctx.config, 'activation') ?? 'linear', ctx.inputShapes[0]?.length ?? 0)];
  },
};

/** Softmax(axis) over the value's layout. */
export const softmaxLowering: OnnxLowering = {
  lower(ctx) {
    const value = ctx.inputs[0] as OnnxValue;
    const rank = ctx.inputShapes[0]?.length ?? 0;
    const axis = numberField(ctx.config, 'axis') ?? -1;
    const onnxAxis = value.layout === 'channels-first' ? channelsFirstAxis(axis, rank) : (axis < 0 ? rank + axis : axis);
    return [{ name: ctx.node('Softmax', [value.name], { axis: { int: onnxAxis } }), layout: value.layout }];
  },
};

/** Rescaling: x·scale + offset. */
export const rescalingLowering: OnnxLowering = elementwise((ctx, x) =>
  ctx.node('Add', [ctx.node('Mul', [x, ctx.floatInitializer([numberOr(ctx.config, 'scale', 1)], [], 'scale')]), ctx.floatInitializer([numberOr(ctx.config, 'offset', 0)], [], 'offset')]));

/** The input as NCHW for an image op: channels-first for channels-last layers. */
function imageInput(ctx: OnnxLoweringContext): { x: string; layout: OnnxValue['layout']; spatial: readonly (number | null)[] } {
  const spatial = spatialOf(ctx, ctx.inputShapes[0]);
  const layout = ctx.config['data_format'] === 'channels_first' ? 'native' : 'channels-first';
  return { x: ctx.input(0, layout), layout, spatial };
}

/** MaxPooling2D / AveragePooling2D (TF padding; the average excludes padded cells, as tfjs). */
export function poolLowering(opType: 'MaxPool' | 'AveragePool'): OnnxLowering {
  return {
    lower(ctx) {
      const { x, layout, spatial } = imageInput(ctx);
      const kernel = configPair(ctx, 'pool_size');
      const strides = ctx.config['strides'] === undefined || ctx.config['strides'] === null ? kernel : configPair(ctx, 'strides');
      const pads = windowPads(ctx, spatial, kernel, strides, [1, 1]);
      const attributes = { kernel_shape: { ints: kernel }, strides: { ints: strides }, pads: { ints: pads }, ...(opType === 'AveragePool' ? { count_include_pad: { int: 0 } } : {}) };
      return [{ name: ctx.node(opType, [x], attributes), layout }];
    },
  };
}

/** GlobalAveragePooling2D / GlobalMaxPooling2D → [N, C] (or [N, C, 1, 1] channels-first with keepdims). */
export function globalPoolLowering(opType: 'GlobalAveragePool' | 'GlobalMaxPool'): OnnxLowering {
  return {
    lower(ctx) {
      const { x, layout } = imageInput(ctx);
      const pooled = ctx.node(opType, [x]);
      if (ctx.config['keepdims'] === true) return [{ name: pooled, layout }];
      return [{ name: ctx.node('Flatten', [pooled], { axis: { int: 1 } }), layout: 'native' }];
    },
  };
}

/** ZeroPadding2D → Pad with zeros on rows and columns. */
export const zeroPaddingLowering: OnnxLowering = {
  lower(ctx) {
    const { x, layout } = imageInput(ctx);
    const [top, bottom, left, right] = edgeAmounts(ctx, 'padding');
    const pads = ctx.intInitializer([0, 0, top, left, 0, 0, bottom, right], [8], 'pads');
    return [{ name: ctx.node('Pad', [x, pads], { mode: { string: 'constant' } }), layout }];
  },
};

/** Cropping2D → Slice of rows and columns. */
export const croppingLowering: OnnxLowering = {
  lower(ctx) {
    const { x, layout, spatial } = imageInput(ctx);
    const [top, bottom, left, right] = edgeAmounts(ctx, 'cropping');
    const [rows, cols] = spatial;
    if (rows === null || rows === undefined || cols === null || cols === undefined) return ctx.unsupported('cropping needs known rows and columns');
    const starts = ctx.intInitializer([top, left], [2], 'starts');
    const ends = ctx.intInitializer([rows - bottom, cols - right], [2], 'ends');
    return [{ name: ctx.node('Slice', [x, starts, ends, ctx.intInitializer([2, 3], [2], 'axes')]), layout }];
  },
};

/** UpSampling2D → Resize by [1, 1, sh, sw]: nearest (floor) or bilinear, asymmetric coordinates, as tfjs's resize ops without half-pixel centres. */
export const upSamplingLowering: OnnxLowering = {
  lower(ctx) {
    const { x, layout } = imageInput(ctx);
    const [sh, sw] = configPair(ctx, 'size', 2);
    const interpolation = ctx.config['interpolation'] ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') return ctx.unsupported(`interpolation "${String(interpolation)}" is not "nearest" or "bilinear"`);
    const scales = ctx.floatInitializer([1, 1, sh, sw], [4], 'scales');
    const attributes: Record<string, OnnxAttribute> = interpolation === 'nearest'
      ? { mode: { string: 'nearest' }, coordinate_transformation_mode: { string: 'asymmetric' }, nearest_mode: { string: 'floor' } }
      : { mode: { string: 'linear' }, coordinate_transformation_mode: { string: 'asymmetric' } };
    return [{ name: ctx.node('Resize', [x, '', scales], attributes), layout }];
  },
};
