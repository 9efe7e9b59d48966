import { numberListField } from '../../../topology/keras-json.js';
import type { OnnxLowering } from '../../onnx-lowering.js';
import { batchNormAffine, channelDims, numberOr, preferredLayout } from './onnx-helpers.js';

/**
 * BatchNormalization over the channel axis, at inference: `y = x·scale + shift` per channel,
 * folded into the preceding Conv/Gemm where that is the only reader of its output, else Mul + Add.
 */
export const batchNormalizationLowering: OnnxLowering = {
  lower(ctx) {
    const shape = ctx.inputShapes[0];
    const rank = shape?.length ?? 0;
    const axes = numberListField(ctx.config, 'axis') ?? [-1];
    const axis = axes.length === 1 ? (axes[0] as number) : Number.NaN;
    if ((axis < 0 ? rank + axis : axis) !== rank - 1) return ctx.unsupported(`it normalises over axis ${JSON.stringify(ctx.config['axis'] ?? null)}, not the channel (last) axis`);
    const mean = ctx.weight('moving_mean').values;
    const variance = ctx.weight('moving_variance').values;
    const gamma = ctx.config['scale'] !== false && ctx.hasWeight('gamma') ? ctx.weight('gamma').values : undefined;
    const beta = ctx.config['center'] !== false && ctx.hasWeight('beta') ? ctx.weight('beta').values : undefined;
    const { scale, shift } = batchNormAffine(gamma, beta, mean, variance, numberOr(ctx.config, 'epsilon', 1e-3));
    const folded = ctx.foldScaleShift(0, scale, shift);
    if (folded !== undefined) return [folded];
    const layout = preferredLayout(shape);
    const x = ctx.input(0, layout);
    const dims = channelDims(mean.length, layout, rank);
    const scaled = ctx.node('Mul', [x, ctx.floatInitializer(scale, dims, 'bn_scale')]);
    return [{ name: ctx.node('Add', [scaled, ctx.floatInitializer(shift, dims, 'bn_shift')]), layout }];
  },
};

/** PReLU: PRelu with alpha [..., C] broadcast over the native (NHWC) value. */
export const preluLowering: OnnxLowering = {
  lower(ctx) {
    const alpha = ctx.weight('alpha');
    const x = ctx.input(0, 'native');
    return [{ name: ctx.node('PRelu', [x, ctx.floatInitializer(alpha.values, alpha.shape, 'alpha')]), layout: 'native' }];
  },
};
