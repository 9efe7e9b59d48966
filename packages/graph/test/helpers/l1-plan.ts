import type * as tf from '@tensorflow/tfjs';
import { magnitudeImportance, type DependencyGroup } from '../../src/index.js';

/**
 * Uniform magnitude pruning: in every prunable group, remove the `ratio` share of channels whose
 * producer kernels have the lowest L1 norm (summed over the group's producers).
 */
export async function l1Plan(model: tf.LayersModel, groups: readonly DependencyGroup[], ratio: number): Promise<Map<string, number[]>> {
  const plan = new Map<string, number[]>();
  for (const group of groups) {
    const count = Math.floor(ratio * group.channels);
    if (!group.prunable || count === 0) continue;
    const score = (await magnitudeImportance(model, [group], { norm: 'l1' })).get(group.id)!;
    const order = [...score.keys()].sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
    plan.set(group.id, order.slice(0, count).sort((a, b) => a - b));
  }
  return plan;
}
