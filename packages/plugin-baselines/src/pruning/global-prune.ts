import { layerOperationsOf, pruneChannels, pruningPlan, scoredGroups } from '@whittle/graph';
import {
  definePluginMeta, inputError, LAYER_OPERATIONS, tapStage, Type, withDefault,
  type Kernel, type LayerOperationRegistration, type Providers, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';

/** The options schema of `global`. */
export const GlobalPruneOptionsSchema = Type.Object(
  {
    ratio: Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Fraction of all prunable channels to remove.' }),
    minChannels: withDefault(Type.Integer({ minimum: 1, description: 'Channels every group keeps at least.' }), 1),
  },
  { additionalProperties: false },
);

export type GlobalPruneOptions = StageOptions<typeof GlobalPruneOptionsSchema>;

/**
 * `prune` stage `global`: ranks the channels of all prunable groups together by score and removes
 * the lowest `ratio` of them, each group keeping at least `minChannels` — with `l1-norm` scores, global
 * magnitude pruning (`pruningPlan` with a `global-ratio`). Scores are compared as they are, so layers with
 * larger weights keep more channels.
 *
 * ```json
 * { "hook": "score", "plugin": "l1-norm" }, { "hook": "prune", "plugin": "global", "options": { "ratio": 0.5 } }
 * ```
 */
@injectable()
export class GlobalPrune implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'global',
    hook: 'prune',
    description: 'Remove the lowest-scoring fraction of channels across all groups (each keeps at least minChannels).',
    requires: ['scores'],
    optionsSchema: GlobalPruneOptionsSchema,
  });

  readonly name = GlobalPrune.meta.name;

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, GlobalPrune.meta, async (model, call) => {
      const { ratio, minChannels } = call.options;
      const groups = scoredGroups(model, call.ctx.scores, call.stage.label, ops);
      const { plan, target, removed: count } = pruningPlan(new Map(groups.map(({ group, scores }) => [group.id, scores])), { kind: 'global-ratio', ratio }, { minChannels });
      if (count < target) {
        throw inputError('PRUNE_RATIO_UNREACHABLE', `ratio ${ratio} needs ${target} channels removed, but only ${count} can go while every group keeps ${minChannels}`, 'Lower "ratio" or "minChannels".');
      }
      call.record({ prunedGroups: plan.size, removedChannels: count });
      return pruneChannels(model, plan, ops);
    });
  }
}
