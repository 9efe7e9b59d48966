import { layerOperationsOf, pruneChannels, scoredGroups } from '@whittle/graph';
import { definePluginMeta, inputError, tapStage, Type, withDefault, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';
import { lowestChannels } from './lowest-channels.js';

/** The options schema of `uniform`. */
export const UniformPruneOptionsSchema = Type.Object(
  {
    ratio: Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Fraction of channels to remove per group.' }),
    roundTo: withDefault(Type.Integer({ minimum: 1, description: 'Keep a multiple of this many channels (hardware-friendly widths).' }), 1),
  },
  { additionalProperties: false },
);

export type UniformPruneOptions = StageOptions<typeof UniformPruneOptionsSchema>;

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

/**
 * `prune` stage `uniform`: removes the same fraction of channels from every prunable group, lowest
 * scores first — with `l1-norm` scores, the uniform-L1 baseline. Physically smaller layers, not masks.
 *
 * ```json
 * { "hook": "score", "plugin": "l1-norm" }, { "hook": "prune", "plugin": "uniform", "options": { "ratio": 0.5 } }
 * ```
 */
@injectable()
export class UniformPrune implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'uniform',
    hook: 'prune',
    description: 'Remove the same fraction of channels from every prunable group, lowest scores first.',
    requires: ['scores'],
    optionsSchema: UniformPruneOptionsSchema,
  });

  readonly name = UniformPrune.meta.name;

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(kernel.registry);
    tapStage(kernel, UniformPrune.meta, async (model, call) => {
      const { ratio, roundTo } = call.options;
      const plan = new Map<string, number[]>();
      for (const { group, scores } of scoredGroups(model, call.ctx.scores, call.stage.label, ops)) {
        const keep = uniformKeep(group.channels, ratio, roundTo);
        if (keep < 1) throw inputError('PRUNE_EMPTIES_GROUP', `ratio ${ratio} would remove every channel of group "${group.id}"`, 'Lower "ratio".');
        if (keep < group.channels) plan.set(group.id, lowestChannels(scores, group.channels - keep));
      }
      call.record({ prunedGroups: plan.size, removedChannels: [...plan.values()].reduce((n, r) => n + r.length, 0) });
      return pruneChannels(model, plan, ops);
    });
  }
}
