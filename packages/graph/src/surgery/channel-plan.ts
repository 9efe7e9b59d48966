import { inputError } from '@whittle/kernel';
import type { ChannelAnalysis } from '../channels/channel-analysis.js';

/** Channels to REMOVE, per dependency group id: `new Map([['conv1', [0, 5]]])`. */
export type ChannelPlan = ReadonlyMap<string, readonly number[]>;

/**
 * Checks a plan against the groups of a model and returns the union-find roots of the channels it
 * removes. Refuses unknown or unprunable groups, non-integer, out-of-range or repeated indices, and
 * plans that remove every channel of a group.
 *
 * ```ts
 * const removed = resolvePlan(analysis, new Map([['conv1', [0, 3]]]));
 * ```
 */
export function resolvePlan(analysis: ChannelAnalysis, plan: ChannelPlan): Set<number> {
  if (!(plan instanceof Map)) {
    throw inputError('PLAN_INVALID', 'the channel plan is not a Map of group id → channel indices', "Pass new Map([['conv1', [0, 3]]]).");
  }
  const removed = new Set<number>();
  for (const [id, indices] of plan) {
    const group = analysis.group(id);
    if (group === undefined) {
      const prunable = analysis.groups.filter((g) => g.prunable).map((g) => g.id);
      throw inputError('PLAN_UNKNOWN_GROUP', `channel plan names group "${id}", which model "${analysis.graph.document.name}" does not have`,
        `Use ids from dependencyGroups(model); prunable ones: ${prunable.slice(0, 10).join(', ')}${prunable.length > 10 ? ', …' : ''}.`);
    }
    if (!group.prunable) {
      throw inputError('PLAN_UNPRUNABLE_GROUP', `channel plan prunes group "${id}", which cannot be pruned: ${group.blockedBy.join('; ')}`,
        'Leave this group out of the plan.');
    }
    if (!Array.isArray(indices)) {
      throw inputError('PLAN_INVALID', `channel plan entry for group "${id}" is not an array of channel indices`, 'Give an array such as [0, 3].');
    }
    const seen = new Set<number>();
    for (const index of indices) {
      if (!Number.isInteger(index) || index < 0 || index >= group.channels) {
        throw inputError('PLAN_INDEX_OUT_OF_RANGE', `channel plan for group "${id}" names channel ${String(index)}, outside 0…${group.channels - 1}`,
          `Group "${id}" has ${group.channels} channels; give integers in 0…${group.channels - 1}.`);
      }
      if (seen.has(index)) {
        throw inputError('PLAN_DUPLICATE_INDEX', `channel plan for group "${id}" names channel ${index} twice`, 'List each channel once.');
      }
      seen.add(index);
    }
    if (seen.size === group.channels) {
      throw inputError('PLAN_EMPTIES_GROUP', `channel plan removes all ${group.channels} channels of group "${id}", which would empty its layers`,
        'Keep at least one channel in every group.');
    }
    const classes = analysis.groupClasses(id);
    for (const index of seen) removed.add(classes[index] as number);
  }
  return removed;
}
