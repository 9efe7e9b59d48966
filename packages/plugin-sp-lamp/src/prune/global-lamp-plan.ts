import { globalScorePlan, type ChannelPlan } from '@whittle/graph';
import { inputError } from '@whittle/kernel';
import type { ChannelScores } from './lowest-score-plan.js';

/**
 * Global LAMP ranking without latency (the baseline SP-LAMP is compared with): `globalScorePlan`
 * over SP-LAMP scores — the `round(ratio · N)` lowest channels across all groups, never a group's
 * last channel.
 *
 * ```ts
 * globalLampPlan(new Map([['a', Float32Array.of(0.1, 1)], ['b', Float32Array.of(0.3, 0.2, 1)]]), 0.4); // Map { 'a' => [0], 'b' => [1] }
 * ```
 */
export function globalLampPlan(scores: ChannelScores, ratio: number): ChannelPlan {
  if (!Number.isFinite(ratio) || ratio < 0 || ratio >= 1) {
    throw inputError('SP_LAMP_BAD_OPTION', `option "ratio" must be in [0, 1), got ${ratio}`, 'Give the fraction of channels to remove, e.g. 0.5.');
  }
  return globalScorePlan(scores, ratio).plan;
}
