import type * as tf from '@tensorflow/tfjs';
import { memberIndices, type DependencyGroup } from '../../src/index.js';

/** The output-channel axis of a producer's kernel, by layer class. */
function outputAxis(className: string, weightName: string, rank: number): number | undefined {
  if (className === 'Dense' && weightName.endsWith('/kernel')) return 1;
  if (/^Conv[123]D$/.test(className) && weightName.endsWith('/kernel')) return rank - 1;
  if (/^Conv[23]DTranspose$/.test(className) && weightName.endsWith('/kernel')) return rank - 2;
  if (className === 'SeparableConv2D' && weightName.endsWith('/pointwise_kernel')) return 3;
  return undefined;
}

/** L1 norm of every output slice of a kernel along `axis`. */
function sliceNorms(values: Float32Array, shape: readonly number[], axis: number): Float64Array {
  const size = shape[axis] as number;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const norms = new Float64Array(size);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % size;
    norms[c] = (norms[c] as number) + Math.abs(values[i] as number);
  }
  return norms;
}

/**
 * Uniform magnitude pruning: in every prunable group, remove the `ratio` share of channels whose
 * producer kernels have the lowest L1 norm (summed over the group's producers).
 */
export function l1Plan(model: tf.LayersModel, groups: readonly DependencyGroup[], ratio: number): Map<string, number[]> {
  const plan = new Map<string, number[]>();
  const norms = new Map<string, Float64Array>();
  const normsOf = (layerName: string): Float64Array | undefined => {
    if (norms.has(layerName)) return norms.get(layerName);
    const layer = model.getLayer(layerName);
    const index = layer.weights.findIndex((w) => outputAxis(layer.getClassName(), w.originalName, w.shape.length) !== undefined);
    const weight = layer.weights[index];
    const result = weight === undefined ? undefined
      : sliceNorms(weight.read().dataSync() as Float32Array, weight.shape as number[], outputAxis(layer.getClassName(), weight.originalName, weight.shape.length) as number);
    if (result !== undefined) norms.set(layerName, result);
    return result;
  };
  for (const group of groups) {
    const count = Math.floor(ratio * group.channels);
    if (!group.prunable || count === 0) continue;
    const score = new Float64Array(group.channels);
    for (const member of group.members) {
      if (member.role !== 'producer') continue;
      const layerNorms = normsOf(member.layer);
      if (layerNorms === undefined) continue;
      for (let c = 0; c < group.channels; c++) for (const i of memberIndices(member, c)) score[c] = (score[c] as number) + (layerNorms[i] ?? 0);
    }
    const order = [...score.keys()].sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
    plan.set(group.id, order.slice(0, count).sort((a, b) => a - b));
  }
  return plan;
}
