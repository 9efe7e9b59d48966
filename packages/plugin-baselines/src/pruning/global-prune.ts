import { globalScorePlan, pruneChannels, scoredGroups } from '@whittle/graph';
import { inputError, type Kernel, type PluginMeta, type WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';

export interface GlobalPruneOptions {
  /** Fraction of all prunable channels to remove. */
  readonly ratio: number;
  /** Channels every group keeps at least. */
  readonly minChannels: number;
}

/**
 * `prune` stage `global`: ranks the channels of all prunable groups together by score and removes
 * the lowest `ratio` of them, each group keeping at least `minChannels` — with `l1-norm` scores, global
 * magnitude pruning. Scores are compared as they are, so layers with larger weights keep more channels.
 *
 * ```json
 * { "hook": "score", "plugin": "l1-norm" }, { "hook": "prune", "plugin": "global", "options": { "ratio": 0.5 } }
 * ```
 */
@injectable()
export class GlobalPrune implements WhittlePlugin {
  static readonly meta: PluginMeta = {
    name: 'global',
    hook: 'prune',
    description: 'Remove the lowest-scoring fraction of channels across all groups (each keeps at least minChannels).',
    requires: ['scores'],
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['ratio'],
      properties: {
        ratio: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        minChannels: { type: 'integer', minimum: 1, default: 1 },
      },
    },
  };

  readonly name = GlobalPrune.meta.name;

  apply(kernel: Kernel): void {
    kernel.hooks.prune.for(this.name).tapPromise(this.name, async (model, call) => {
      const { ratio, minChannels } = call.options as GlobalPruneOptions;
      const groups = scoredGroups(model, call.ctx.scores, call.stage.label);
      const { plan, target, removed: count } = globalScorePlan(new Map(groups.map(({ group, scores }) => [group.id, scores])), ratio, minChannels);
      if (count < target) {
        throw inputError('PRUNE_RATIO_UNREACHABLE', `ratio ${ratio} needs ${target} channels removed, but only ${count} can go while every group keeps ${minChannels}`, 'Lower "ratio" or "minChannels".');
      }
      call.record({ prunedGroups: plan.size, removedChannels: count });
      return pruneChannels(model, plan);
    });
  }
}
