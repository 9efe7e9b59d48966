import type { LayerOperation } from '../layer-operation.js';
import type { LinearExpansion } from './linear-expansion.js';
import { CONV2D_EXPANSION, DENSE_EXPANSION, SEPARABLE_POINTWISE_EXPANSION } from './mixing-expansion.js';

/**
 * The built-in classes that expand exactly. Left as they are: DepthwiseConv2D (mixing its channels
 * back after a wider depthwise kernel needs a grouped 1×1 convolution, which tfjs-layers lacks, and
 * any Conv2D mixer would make the merged layer a full convolution), the depthwise half of a
 * SeparableConv2D (the same reason), Conv1D/Conv3D and the transposed convolutions (not built yet).
 */
const EXPANSIONS: Readonly<Record<string, LinearExpansion>> = {
  Conv2D: CONV2D_EXPANSION,
  Dense: DENSE_EXPANSION,
  SeparableConv2D: SEPARABLE_POINTWISE_EXPANSION,
};

/** The operation with its class's linear expansion, where it has one. */
export function withLinearExpansion(op: LayerOperation): LayerOperation {
  const expansion = EXPANSIONS[op.className];
  return expansion === undefined ? op : { ...op, linearExpansion: expansion };
}
