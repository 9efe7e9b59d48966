import type { CandidateDesign } from './candidate-design.js';

/** What evaluating one design gave: its accuracy (0..1) after the evaluator's short fine-tune, and any figures worth logging. */
export interface EpisodeScore {
  readonly accuracy: number;
  readonly figures?: Readonly<Record<string, number>>;
}

/**
 * Evaluates the designs a search proposes (the expensive part of an episode: quantize, fine-tune
 * briefly, measure accuracy). Behind an interface so that episodes can run elsewhere — a work queue
 * across machines only has to implement `evaluate` — while the search (agent, latency and resource
 * model) stays here. Implementations must be deterministic for a given design where they can be, so
 * that the search ranks designs and not noise.
 */
export interface EpisodeEvaluator {
  /** Accuracy (0..1) of the unquantized model on the evaluator's data: the reward's `acc_orig`. */
  baseAccuracy(): Promise<number>;
  evaluate(design: CandidateDesign): Promise<EpisodeScore>;
}
