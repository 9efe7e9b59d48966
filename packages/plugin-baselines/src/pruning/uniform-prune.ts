import { layerOperationsOf, pruneChannels, pruningPlan, scoredGroups } from '@whittle/graph';
import {
  definePluginMeta, LAYER_OPERATIONS, tapStage, Type, withDefault,
  type Kernel, type LayerOperationRegistration, type Providers, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';

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
 * `prune` stage `uniform`: removes the same fraction of channels from every prunable group, lowest
 * scores first (`pruningPlan` with a `local-ratio`: each group keeps `uniformKeep(channels, ratio, roundTo)`)
 * — with `l1-norm` scores, the uniform-L1 baseline. Physically smaller layers, not masks.
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

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, UniformPrune.meta, async (model, call) => {
      const { ratio, roundTo } = call.options;
      const groups = scoredGroups(model, call.ctx.scores, call.stage.label, ops);
      const { plan, removed } = pruningPlan(new Map(groups.map(({ group, scores }) => [group.id, scores])), { kind: 'local-ratio', ratio, roundTo });
      call.record({ prunedGroups: plan.size, removedChannels: removed });
      return pruneChannels(model, plan, ops);
    });
  }
}
