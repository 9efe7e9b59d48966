import type { CandidateDesign } from './candidate-design.js';
import type { EpisodeEvaluator } from './episode-evaluator.js';

/** Reward of a design that does not fit the board or whose layers do not fit its buffers [assumption: the reference has no such check]. */
export const INFEASIBLE_REWARD_BASE = -2;

/** An episode's outcome: the reward and, where the design was evaluated, its accuracy. */
export interface EpisodeOutcome {
  readonly reward: number;
  readonly accuracy: number | null;
  readonly evaluated: boolean;
}

/**
 * N3H-Core's reward (papers.md §4, env `step`), with a resource term the reference lacks:
 * - the design does not fit the board (or a buffer cannot hold a layer): −2 − Σ over-use fractions
 *   (below every latency reward, so a search prefers any design that fits), not evaluated;
 * - latency above the target: −latency/target, not evaluated (the reference skips the fine-tune);
 * - otherwise: 0.01 · (accuracy − base accuracy) in percentage points (= the difference of the
 *   fractions), from the evaluator's short fine-tune.
 */
export async function designReward(design: CandidateDesign, targetMs: number, baseAccuracy: number, evaluator: EpisodeEvaluator): Promise<EpisodeOutcome> {
  if (!design.fits || design.latencyMs === null) {
    const over = design.overruns.reduce((sum, o) => sum + o.over / o.available, 0);
    return { reward: INFEASIBLE_REWARD_BASE - over, accuracy: null, evaluated: false };
  }
  if (design.latencyMs > targetMs) return { reward: -design.latencyMs / targetMs, accuracy: null, evaluated: false };
  const { accuracy } = await evaluator.evaluate(design);
  return { reward: 0.01 * (100 * accuracy - 100 * baseAccuracy), accuracy, evaluated: true };
}
