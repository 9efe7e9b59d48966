/** What `globalScorePlan` removed, and how many it was asked to. */
export interface GlobalScorePlan {
  /** Channels to remove per group id, ascending; groups losing none are left out. */
  readonly plan: Map<string, number[]>;
  /** `round(ratio · N)`, N = all scored channels. */
  readonly target: number;
  /** Fewer than `target` when the groups' `minChannels` floors stopped it. */
  readonly removed: number;
}

/**
 * Global ranking: removes the `round(ratio · N)` lowest-scoring channels across all groups together,
 * never taking a group below `minChannels` (such a channel is skipped and the next lowest taken).
 * Ties: the earlier group in the map goes first, then, inside a group, Whittle's one tie rule
 * (`leastImportantFirst`: the later channel goes first, so a tie keeps a group's earlier channel). Scores are compared as they are: with raw filter norms, layers with larger
 * weights keep more channels; with LAMP-normalised scores they are comparable across layers.
 *
 * ```ts
 * globalScorePlan(new Map([['a', Float32Array.of(0.1, 1)], ['b', Float32Array.of(0.3, 0.2, 1)]]), 0.4).plan; // Map { 'a' => [0], 'b' => [1] }
 * ```
 */
export function globalScorePlan(scores: ReadonlyMap<string, ArrayLike<number>>, ratio: number, minChannels = 1): GlobalScorePlan {
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
    if (remaining <= minChannels) continue;
    left.set(e.group, remaining - 1);
    plan.set(e.group, [...(plan.get(e.group) ?? []), e.channel]);
    removed++;
  }
  for (const list of plan.values()) list.sort((a, b) => a - b);
  return { plan, target, removed };
}
