import type { ChannelPlan } from '@whittle/graph';
import { inputError } from '@whittle/kernel';
import type { ChannelScores } from './lowest-score-plan.js';

/**
 * Global LAMP ranking without latency (the baseline SP-LAMP is compared with): removes the
 * `round(ratio · N)` channels with the lowest scores across all groups, N = all scored channels,
 * never a group's last channel (a channel that would empty its group is skipped and the next
 * lowest taken). Ties: the earlier group in the table, then the later channel, go first.
 *
 * ```ts
 * globalLampPlan(new Map([['a', Float32Array.of(0.1, 1)], ['b', Float32Array.of(0.3, 0.2, 1)]]), 0.4); // Map { 'a' => [0], 'b' => [1] }
 * ```
 */
export function globalLampPlan(scores: ChannelScores, ratio: number): ChannelPlan {
  if (!Number.isFinite(ratio) || ratio < 0 || ratio >= 1) {
    throw inputError('SP_LAMP_BAD_OPTION', `option "ratio" must be in [0, 1), got ${ratio}`, 'Give the fraction of channels to remove, e.g. 0.5.');
  }
  const entries: { group: string; order: number; channel: number; score: number }[] = [];
  let order = 0;
  for (const [group, s] of scores) {
    for (let channel = 0; channel < s.length; channel++) entries.push({ group, order, channel, score: s[channel] as number });
    order++;
  }
  entries.sort((a, b) => a.score - b.score || a.order - b.order || b.channel - a.channel);
  const target = Math.round(ratio * entries.length);
  const left = new Map([...scores].map(([id, s]) => [id, s.length]));
  const plan = new Map<string, number[]>();
  let removed = 0;
  for (const e of entries) {
    if (removed >= target) break;
    const remaining = left.get(e.group) as number;
    if (remaining <= 1) continue;
    left.set(e.group, remaining - 1);
    plan.set(e.group, [...(plan.get(e.group) ?? []), e.channel]);
    removed++;
  }
  for (const list of plan.values()) list.sort((a, b) => a - b);
  return plan;
}
