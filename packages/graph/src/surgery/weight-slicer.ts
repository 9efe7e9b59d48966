import * as tf from '@tensorflow/tfjs';
import { runtimeError } from '@whittle/kernel';
import type { NamedTensor } from './model-rebuild.js';

/** Which channels of a layer survive: input axis, output axis (null = all). */
export interface LayerKeep {
  readonly in: readonly number[] | null;
  readonly out: readonly number[] | null;
  /** Depth multiplier of a SeparableConv2D: its pointwise kernel reads in·multiplier channels. */
  readonly multiplier: number;
}

type AxisRole = 'in' | 'out' | 'inExpanded';

const CONV = { kernel: [[-2, 'in'], [-1, 'out']], bias: [[0, 'out']] } as const;
const CONV_TRANSPOSE = { kernel: [[-2, 'out'], [-1, 'in']], bias: [[0, 'out']] } as const;
const BN_AXIS = [[0, 'in']] as const;

/**
 * Which axis of which weight holds which channels, per layer class and weight name (the part of
 * the weight name after the last '/'). Conv2D kernels are [kh, kw, in, out]; Conv2DTranspose
 * kernels are [kh, kw, out, in]; Dense [in, out]; DepthwiseConv2D [kh, kw, in, multiplier].
 */
const WEIGHT_AXES: Readonly<Record<string, Readonly<Record<string, readonly (readonly [number, AxisRole])[]>>>> = {
  Dense: { kernel: [[0, 'in'], [1, 'out']], bias: [[0, 'out']] },
  Conv1D: CONV,
  Conv2D: CONV,
  Conv3D: CONV,
  Conv2DTranspose: CONV_TRANSPOSE,
  Conv3DTranspose: CONV_TRANSPOSE,
  SeparableConv2D: { depthwise_kernel: [[2, 'in']], pointwise_kernel: [[2, 'inExpanded'], [3, 'out']], bias: [[0, 'out']] },
  DepthwiseConv2D: { depthwise_kernel: [[2, 'in']], bias: [[0, 'out']] },
  BatchNormalization: { gamma: BN_AXIS, beta: BN_AXIS, moving_mean: BN_AXIS, moving_variance: BN_AXIS },
  PReLU: { alpha: [[-1, 'in']] },
};

function indicesFor(role: AxisRole, keep: LayerKeep): readonly number[] | null {
  if (role === 'in') return keep.in;
  if (role === 'out') return keep.out;
  if (keep.in === null) return null;
  const m = keep.multiplier;
  return keep.in.flatMap((c) => Array.from({ length: m }, (_, j) => c * m + j));
}

/**
 * The weights of one layer with the removed channels sliced out (`tf.gather` along each channel
 * axis). Unchanged weights are returned as they are; new tensors are also pushed to `created` so the
 * caller can dispose them once they are serialised.
 *
 * ```ts
 * const created: tf.Tensor[] = [];
 * const named = sliceLayerWeights('Conv2D', conv.weights.map((w) => ({ name: w.originalName, value: w.read() })),
 *   { in: null, out: [0, 2], multiplier: 1 }, created);
 * ```
 */
export function sliceLayerWeights(
  className: string,
  weights: readonly { readonly name: string; readonly value: tf.Tensor }[],
  keep: LayerKeep,
  created: tf.Tensor[],
): NamedTensor[] {
  if (keep.in === null && keep.out === null) return weights.map((w) => ({ name: w.name, tensor: w.value }));
  const table = WEIGHT_AXES[className];
  return weights.map(({ name, value }) => {
    const short = name.slice(name.lastIndexOf('/') + 1);
    const axes = table?.[short];
    if (axes === undefined) {
      throw runtimeError('GRAPH_UNKNOWN_WEIGHT', `cannot slice weight "${name}" of a ${className} layer`, 'This is a bug in @whittle/graph: the layer should have been marked unprunable.');
    }
    let tensor = value;
    for (const [axis, role] of axes) {
      const indices = indicesFor(role, keep);
      if (indices === null || value.rank === 0) continue;
      const resolved = axis < 0 ? value.rank + axis : axis;
      if ((value.shape[resolved] ?? 0) === 1 && role === 'in' && className === 'PReLU') continue; // alpha shared over channels
      const next = tf.gather(tensor, Array.from(indices), resolved);
      if (tensor !== value) tensor.dispose();
      tensor = next;
    }
    if (tensor !== value) created.push(tensor);
    return { name, tensor };
  });
}
