import { numberField } from '../../../topology/keras-json.js';
import type { OnnxLowering, OnnxLoweringContext } from '../../onnx-lowering.js';
import type { MergeKind } from '../../layer-operation.js';
import { channelsFirstAxis } from './onnx-helpers.js';

/** Element-wise merges and Concatenate: channels-first when every input is rank 4, native otherwise. */

function mergeLayout(ctx: OnnxLoweringContext): 'native' | 'channels-first' {
  const ranks = ctx.inputShapes.map((s) => s.length);
  if (ranks.some((r) => r !== ranks[0])) return ctx.unsupported(`its inputs have different ranks (${ranks.join(', ')})`);
  return ranks[0] === 4 ? 'channels-first' : 'native';
}

const VARIADIC: Readonly<Record<Exclude<MergeKind, 'subtract' | 'multiply'>, string>> = { add: 'Sum', average: 'Mean', maximum: 'Max', minimum: 'Min' };
const BINARY: Readonly<Record<MergeKind, string>> = { add: 'Add', subtract: 'Sub', multiply: 'Mul', average: 'Mean', maximum: 'Max', minimum: 'Min' };

/** Add → Add (Sum for 3+), Subtract → Sub, Multiply → Mul chain, Average → Mean, Maximum → Max, Minimum → Min. */
export function mergeLowering(kind: MergeKind): OnnxLowering {
  return {
    lower(ctx) {
      const layout = mergeLayout(ctx);
      const names = ctx.inputs.map((_, i) => ctx.input(i, layout));
      if (kind === 'subtract' && names.length !== 2) return ctx.unsupported(`Subtract takes 2 inputs, got ${names.length}`);
      if (names.length === 2 || kind === 'subtract') return [{ name: ctx.node(BINARY[kind], names), layout }];
      if (kind === 'multiply') return [{ name: names.slice(1).reduce((acc, n) => ctx.node('Mul', [acc, n]), names[0] as string), layout }];
      return [{ name: ctx.node(VARIADIC[kind], names), layout }];
    },
  };
}

/** Concatenate along `axis` (default -1), moved to the channels-first position for rank-4 inputs. */
export const concatenateLowering: OnnxLowering = {
  lower(ctx) {
    const layout = mergeLayout(ctx);
    const rank = ctx.inputShapes[0]?.length ?? 0;
    const axis = numberField(ctx.config, 'axis') ?? -1;
    const onnxAxis = layout === 'channels-first' ? channelsFirstAxis(axis, rank) : (axis < 0 ? rank + axis : axis);
    return [{ name: ctx.node('Concat', ctx.inputs.map((_, i) => ctx.input(i, layout)), { axis: { int: onnxAxis } }), layout }];
  },
};
