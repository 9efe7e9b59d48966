import { leastImportantFirst, lowestChannels } from '@whittle/graph';
import { inputError } from '@whittle/kernel';

/**
 * The channels of one group ordered from least to most important: Whittle's one tie rule
 * (`leastImportantFirst` in @whittle/graph: ascending score, on equal scores the later channel first).
 *
 * ```ts
 * ascendingByScore(Float32Array.of(0.5, 0.1, 1)); // [1, 0, 2]
 * ```
 */
export const ascendingByScore = leastImportantFirst;

/**
 * The plan that cuts each group down to its width by removing its lowest-score channels
 * (`lowestChannels` in @whittle/graph, one tie rule), with SP-LAMP's error codes. Groups at full width (or not named) are left out.
 *
 * ```ts
 * lowestScorePlan(new Map([['conv1', Float32Array.of(0.2, 1, 0.1, 0.5)]]), new Map([['conv1', 2]])); // Map { 'conv1' => [0, 2] }
 * ```
 */
export function lowestScorePlan(scores: ReadonlyMap<string, ArrayLike<number>>, widths: ReadonlyMap<string, number>): Map<string, number[]> {
  const plan = new Map<string, number[]>();
  for (const [id, width] of widths) {
    const s = scores.get(id);
    if (s === undefined) throw inputError('SP_LAMP_NO_SCORES', `no scores for group "${id}"`, 'Run a score stage ("sp-lamp") for this model first.');
    if (!Number.isInteger(width) || width < 1 || width > s.length) {
      throw inputError('SP_LAMP_BAD_WIDTH', `width ${width} for group "${id}" is outside 1 … ${s.length}`, `Keep between 1 and ${s.length} channels.`);
    }
    if (width < s.length) plan.set(id, lowestChannels(s, s.length - width));
  }
  return plan;
}

/** Per-channel scores by group id (a kernel `ScoreTable`). */
export type ChannelScores = ReadonlyMap<string, ArrayLike<number>>;
