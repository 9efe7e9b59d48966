import { inputError } from '@whittle/kernel';

/**
 * How much a pruning plan removes:
 * - `local-ratio`: the same fraction `ratio` of every group (uniform / local pruning); each keeps
 *   `uniformKeep(channels, ratio, roundTo)`;
 * - `widths`: each named group down to its width (a latency knapsack's choice); unnamed groups keep all;
 * - `global-ratio`: `round(ratio · N)` channels across all groups together (N = all scored channels);
 * - `global-count`: `channels` channels across all groups together.
 * Global amounts compare scores across groups as they are: normalise them first (`lamp`, `max`, …)
 * when raw magnitudes would favour layers with larger weights.
 */
export type PruningAmount =
  | { readonly kind: 'local-ratio'; readonly ratio: number; readonly roundTo?: number }
  | { readonly kind: 'widths'; readonly widths: ReadonlyMap<string, number> }
  | { readonly kind: 'global-ratio'; readonly ratio: number }
  | { readonly kind: 'global-count'; readonly channels: number };

export interface PruningPlanOptions {
  /** Channels every group keeps at least (never fewer than its own channel count). Default 1. */
  readonly minChannels?: number;
}

/** What `pruningPlan` decided. */
export interface PruningPlan {
  /** Channels to remove per group id, ascending (the `ChannelPlan` `pruneChannels` takes); groups losing none are left out. */
  readonly plan: Map<string, number[]>;
  /** Channels each scored group keeps, ascending, by group id. */
  readonly keep: Map<string, number[]>;
  /** Channels the amount asked to remove. */
  readonly target: number;
  /** Channels removed: fewer than `target` when the `minChannels` floors stopped a global plan. */
  readonly removed: number;
}

/**
 * The channels `uniform` keeps of a group of `channels` at `ratio`: the rest rounded to a multiple of
 * `roundTo` (at least `roundTo`, at most all of them).
 *
 * ```ts
 * uniformKeep(16, 0.2);    // 13
 * uniformKeep(16, 0.2, 8); // 16
 * ```
 */
export function uniformKeep(channels: number, ratio: number, roundTo = 1): number {
  return Math.min(channels, Math.max(roundTo, Math.round((channels * (1 - ratio)) / roundTo) * roundTo));
}

function checkRatio(ratio: number): void {
  if (!Number.isFinite(ratio) || ratio < 0 || ratio >= 1) {
    throw inputError('PRUNE_BAD_RATIO', `pruning ratio must be in [0, 1), got ${ratio}`, 'Give the fraction of channels to remove, e.g. 0.5.');
  }
}

/** One scored channel; `order` is its group's place in the score table. */
interface Candidate {
  readonly group: string;
  readonly order: number;
  readonly channel: number;
  readonly score: number;
}

/**
 * Whittle's one tie rule, for every pruner: channels go in ascending score; on equal scores the
 * channel of the earlier group (in the score table's order) goes first, and inside a group the
 * LATER channel goes first, so a tie keeps a group's earlier channel.
 */
function leastImportantFirst(a: Candidate, b: Candidate): number {
  return a.score - b.score || a.order - b.order || b.channel - a.channel;
}

/**
 * The one score-based pruner (uniform, global, SP-LAMP's widths, global LAMP): given per-channel
 * scores by dependency group id (higher is more important) and how much to remove, the channels
 * each group loses and keeps — lowest scores first under one tie rule (ascending score; then the
 * earlier group; inside a group the later channel), every group keeping at least `minChannels`
 * (default 1). A global plan skips a channel whose group is at its floor and takes the next lowest;
 * `removed < target` says the floors stopped it.
 *
 * ```ts
 * const scores = new Map([['a', Float32Array.of(0.1, 1)], ['b', Float32Array.of(0.3, 0.2, 0.2)]]);
 * pruningPlan(scores, { kind: 'global-ratio', ratio: 0.4 }).plan;           // Map { 'a' => [0], 'b' => [2] }
 * pruningPlan(scores, { kind: 'widths', widths: new Map([['b', 1]]) }).plan; // Map { 'b' => [1, 2] }
 * pruningPlan(scores, { kind: 'local-ratio', ratio: 0.5 }).keep;             // Map { 'a' => [1], 'b' => [0, 1] }
 * ```
 */
export function pruningPlan(scores: ReadonlyMap<string, ArrayLike<number>>, amount: PruningAmount, options: PruningPlanOptions = {}): PruningPlan {
  const minChannels = options.minChannels ?? 1;
  if (!Number.isInteger(minChannels) || minChannels < 1) {
    throw inputError('PRUNE_BAD_MIN_CHANNELS', `minChannels must be an integer ≥ 1, got ${minChannels}`, 'Keep at least 1 channel per group.');
  }
  const candidates = new Map<string, Candidate[]>();
  [...scores].forEach(([group, s], order) => {
    candidates.set(group, Array.from({ length: s.length }, (_, channel) => ({ group, order, channel, score: s[channel] as number })));
  });
  const floor = (group: string): number => Math.min(minChannels, candidates.get(group)!.length);
  const removals = new Map<string, number[]>();
  let target: number;

  if (amount.kind === 'local-ratio' || amount.kind === 'widths') {
    const widths = new Map<string, number>();
    if (amount.kind === 'local-ratio') {
      checkRatio(amount.ratio);
      for (const [group, list] of candidates) widths.set(group, Math.max(floor(group), uniformKeep(list.length, amount.ratio, amount.roundTo ?? 1)));
    } else {
      for (const [group, width] of amount.widths) {
        const list = candidates.get(group);
        if (list === undefined) throw inputError('PRUNE_NO_SCORES', `no scores for group "${group}"`, 'Run a score stage for this model first.');
        if (!Number.isInteger(width) || width < floor(group) || width > list.length) {
          throw inputError('PRUNE_BAD_WIDTH', `width ${width} for group "${group}" is outside ${floor(group)} … ${list.length}`, `Keep between ${floor(group)} and ${list.length} channels.`);
        }
        widths.set(group, width);
      }
    }
    target = 0;
    for (const [group, width] of widths) {
      const list = candidates.get(group)!;
      target += list.length - width;
      if (width < list.length) removals.set(group, [...list].sort(leastImportantFirst).slice(0, list.length - width).map((c) => c.channel));
    }
  } else {
    const all = [...candidates.values()].flat();
    if (amount.kind === 'global-ratio') {
      checkRatio(amount.ratio);
      target = Math.round(amount.ratio * all.length);
    } else {
      if (!Number.isInteger(amount.channels) || amount.channels < 0) {
        throw inputError('PRUNE_BAD_COUNT', `the number of channels to remove must be an integer ≥ 0, got ${amount.channels}`, 'Give e.g. 64.');
      }
      target = amount.channels;
    }
    const left = new Map([...candidates].map(([group, list]) => [group, list.length]));
    let taken = 0;
    for (const c of all.sort(leastImportantFirst)) {
      if (taken >= target) break;
      const remaining = left.get(c.group)!;
      if (remaining <= floor(c.group)) continue;
      left.set(c.group, remaining - 1);
      removals.set(c.group, [...(removals.get(c.group) ?? []), c.channel]);
      taken++;
    }
  }

  const plan = new Map<string, number[]>();
  const keep = new Map<string, number[]>();
  let removed = 0;
  for (const [group, list] of candidates) {
    const gone = new Set(removals.get(group) ?? []);
    removed += gone.size;
    if (gone.size > 0) plan.set(group, [...gone].sort((a, b) => a - b));
    keep.set(group, list.map((c) => c.channel).filter((c) => !gone.has(c)));
  }
  return { plan, keep, target, removed };
}
