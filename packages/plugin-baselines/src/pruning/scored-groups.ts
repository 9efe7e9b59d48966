import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups, type DependencyGroup } from '@whittle/graph';
import { inputError, type StageCall } from '@whittle/kernel';

export interface ScoredGroup {
  readonly group: DependencyGroup;
  readonly scores: Float32Array;
}

/**
 * The model's prunable groups paired with the scores an earlier `score` stage left in the run, checked
 * to fit the current model (a prune stage after another prune needs fresh scores).
 */
export function scoredGroups(model: tf.LayersModel, call: StageCall): ScoredGroup[] {
  const scores = call.ctx.scores;
  if (scores === undefined || scores.size === 0) {
    throw inputError('SCORES_MISSING', `stage ${call.stage.label} prunes by score, but no score stage ran before it`, 'Add a score stage first, e.g. {"hook": "score", "plugin": "l1-norm"}.');
  }
  const out: ScoredGroup[] = [];
  for (const group of dependencyGroups(model)) {
    if (!group.prunable) continue;
    const s = scores.get(group.id);
    if (s === undefined) continue;
    if (s.length !== group.channels) {
      throw inputError(
        'SCORES_STALE',
        `stage ${call.stage.label}: scores for group "${group.id}" have ${s.length} channels, the model has ${group.channels}`,
        'Run a score stage again after each prune stage.',
      );
    }
    out.push({ group, scores: s });
  }
  return out;
}

/** Indices of the `count` lowest-scoring channels (ties broken by index, so the result is deterministic). */
export function lowestChannels(scores: Float32Array, count: number): number[] {
  return [...scores.keys()].sort((a, b) => scores[a]! - scores[b]! || a - b).slice(0, count).sort((a, b) => a - b);
}
