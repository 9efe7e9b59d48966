import { SeededRng } from '@whittle/kernel';
import type { ChannelPlan, DependencyGroup } from '../../src/index.js';

/** For each prunable group, with probability `p`, a random non-empty proper subset of its channels. */
export function randomPlan(groups: readonly DependencyGroup[], seed: number, p = 0.7): Map<string, number[]> {
  const rng = SeededRng.from(seed, 'plan');
  const plan = new Map<string, number[]>();
  for (const group of groups) {
    if (!group.prunable || group.channels < 2 || rng.next() >= p) continue;
    const count = 1 + rng.int(group.channels - 1);
    const removed = new Set(rng.shuffle([...Array(group.channels).keys()]).slice(0, count));
    // A layer that sees only part of the group (a split concatenation) must keep one of its channels.
    for (const { span } of group.members) {
      if (span === undefined) continue;
      let emptied = true;
      for (let c = span.start; c < span.end; c++) if (!removed.has(c)) emptied = false;
      if (emptied) removed.delete(span.start);
    }
    if (removed.size > 0) plan.set(group.id, [...removed].sort((a, b) => a - b));
  }
  return plan;
}

/** Channels left per group after a plan. */
export function remaining(group: DependencyGroup, plan: ChannelPlan): number {
  return group.channels - (plan.get(group.id)?.length ?? 0);
}
