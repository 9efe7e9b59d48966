import { numberListField } from '../../../topology/keras-json.js';
import type { OnnxLowering } from '../../onnx-lowering.js';

/** Flatten, Reshape and Permute, on native (tfjs-order) values: element order is tfjs's. */

/** Flatten: [N, …] → [N, ∏…]. */
export const flattenLowering: OnnxLowering = {
  lower(ctx) {
    if (ctx.config['data_format'] === 'channels_first') return ctx.unsupported('data_format channels_first Flatten is not lowered');
    return [{ name: ctx.node('Flatten', [ctx.input(0, 'native')], { axis: { int: 1 } }), layout: 'native' }];
  },
};

/** Reshape to [N, …target_shape] (0 keeps the batch). */
export const reshapeLowering: OnnxLowering = {
  lower(ctx) {
    const target = numberListField(ctx.config, 'target_shape');
    if (target === undefined) return ctx.unsupported('its target_shape is not a list of numbers');
    const shape = ctx.intInitializer([0, ...target], [target.length + 1], 'shape');
    return [{ name: ctx.node('Reshape', [ctx.input(0, 'native'), shape]), layout: 'native' }];
  },
};

/** Permute(dims) (1-based, batch fixed) → Transpose [0, …dims]. */
export const permuteLowering: OnnxLowering = {
  lower(ctx) {
    const dims = numberListField(ctx.config, 'dims');
    if (dims === undefined) return ctx.unsupported('its dims is not a list of numbers');
    return [{ name: ctx.node('Transpose', [ctx.input(0, 'native')], { perm: { ints: [0, ...dims] } }), layout: 'native' }];
  },
};
