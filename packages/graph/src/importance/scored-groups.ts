import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { DependencyGroup } from '../channels/dependency-group.js';
import { dependencyGroups } from '../channels/dependency-groups.js';
import { LayerOperations } from '../layers/layer-operations.js';

export interface ScoredGroup {
  readonly group: DependencyGroup;
  /** One score per channel of the group; higher is more important. */
  readonly scores: Float32Array;
}

/**
 * The model's prunable dependency groups paired with the per-channel scores a `score` stage left
 * (`ctx.scores`), checked against the model: a prune stage needs a score stage before it, and scores
 * taken before an earlier prune no longer fit. Groups without scores are left out. `ops`: the layer
 * operations the groups are computed with (default: built-ins).
 *
 * ```ts
 * for (const { group, scores } of scoredGroups(call.ctx.model, call.ctx.scores, call.stage.label)) { … }
 * ```
 */
export function scoredGroups(model: tf.LayersModel, scores: ReadonlyMap<string, Float32Array> | undefined, stage: string, ops: LayerOperations = LayerOperations.builtIn): ScoredGroup[] {
  if (scores === undefined || scores.size === 0) {
    throw inputError('SCORES_MISSING', `stage "${stage}" prunes by score, but no score stage ran before it`, 'Add a score stage first, e.g. {"hook": "score", "plugin": "l1-norm"} or "sp-lamp".');
  }
  const groups = new Map(dependencyGroups(model, ops).map((g) => [g.id, g]));
  const out: ScoredGroup[] = [];
  for (const [id, s] of scores) {
    const group = groups.get(id);
    if (group === undefined || group.channels !== s.length) {
      throw inputError(
        'SCORES_STALE',
        `stage "${stage}": the scores of group "${id}" (${s.length} channels) do not fit model "${model.name}" (${group === undefined ? 'no such group' : `${group.channels} channels`}); the model changed after the score stage`,
        'Run a score stage again after every stage that prunes.',
      );
    }
    if (group.prunable) out.push({ group, scores: s });
  }
  return out;
}
