import { layerOperationsOf, pruneChannels, pruningPlan, scoredGroups } from '@whittle/graph';
import {
  definePluginMeta, LAYER_OPERATIONS, LOGGER, tapStage, Type,
  type Kernel, type LayerOperationRegistration, type Logger, type Providers, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';

/** The options schema of `global-lamp`. */
export const GlobalLampOptionsSchema = Type.Object(
  { ratio: Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Fraction of all scored channels to remove.' }) },
  { additionalProperties: false },
);

export type GlobalLampOptions = StageOptions<typeof GlobalLampOptionsSchema>;

/**
 * `prune` stage `global-lamp`: the latency-blind baseline. Ranks all scored channels of all groups
 * together by score and removes the lowest `ratio` of them (never a group's last channel): `pruningPlan`
 * with a `global-ratio`. With
 * SP-LAMP scores this is global LAMP moved to filters; with other scores, a global ranking by them.
 *
 * ```json
 * { "hook": "prune", "plugin": "global-lamp", "options": { "ratio": 0.5 } }
 * ```
 */
@injectable()
export class GlobalLampPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'global-lamp',
    hook: 'prune',
    description: 'Remove the lowest-scoring fraction of channels ranked globally across groups (global LAMP baseline, no latency model).',
    requires: ['scores'],
    optionsSchema: GlobalLampOptionsSchema,
  });

  readonly name = GlobalLampPlugin.meta.name;

  constructor(
    @inject(LOGGER) private readonly logger: Logger,
    @inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>,
  ) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, GlobalLampPlugin.meta, async (model, call) => {
      const { ratio } = call.options;
      const groups = scoredGroups(model, call.ctx.scores, call.stage.label, ops).map(({ group, scores }) => ({ id: group.id, scores }));
      const { plan } = pruningPlan(new Map(groups.map((g) => [g.id, g.scores])), { kind: 'global-ratio', ratio });
      const total = groups.reduce((sum, g) => sum + g.scores.length, 0);
      const removed = [...plan.values()].reduce((sum, list) => sum + list.length, 0);
      const widths = Object.fromEntries(groups.map((g) => [g.id, { channels: g.scores.length, kept: g.scores.length - (plan.get(g.id)?.length ?? 0) }]));
      await call.ctx.artifacts.writeFile('widths.json', `${JSON.stringify({ ratio, removed, total, widths }, null, 2)}\n`);
      call.record({ removedChannels: removed, scoredChannels: total, removedFraction: total === 0 ? 0 : removed / total, groupsPruned: plan.size });
      this.logger.info(`  global LAMP: removed ${removed} of ${total} channels from ${plan.size} groups`);
      return plan.size === 0 ? model : pruneChannels(model, plan, ops);
    });
  }
}
