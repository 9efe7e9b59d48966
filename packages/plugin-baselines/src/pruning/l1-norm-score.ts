import { dependencyGroups, groupChannelNorms, layerOperationsOf } from '@whittle/graph';
import { definePluginMeta, StringEnum, tapStage, Type, withDefault, type Kernel, type WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';

/**
 * `score` stage `l1-norm`: each channel of each prunable dependency group scores the L1 norm (or
 * squared L2 norm) of its filters, summed over the group's coupled producers (Li et al. 2017,
 * "Pruning Filters for Efficient ConvNets").
 *
 * ```json
 * { "hook": "score", "plugin": "l1-norm" }
 * ```
 */
@injectable()
export class L1NormScore implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'l1-norm',
    hook: 'score',
    description: 'Filter magnitude per channel of each dependency group (L1, or squared L2), summed over coupled layers.',
    optionsSchema: Type.Object({ norm: withDefault(StringEnum(['l1', 'l2sq']), 'l1') }, { additionalProperties: false }),
  });

  readonly name = L1NormScore.meta.name;

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(kernel.registry);
    tapStage(kernel, L1NormScore.meta, async (_previous, call) => {
      const { norm } = call.options;
      const model = call.ctx.model;
      const groups = dependencyGroups(model, ops).filter((g) => g.prunable);
      call.record({ scoredGroups: groups.length });
      return new Map(await Promise.all(groups.map(async (g) => [g.id, await groupChannelNorms(model, g, norm, ops)] as const)));
    });
  }
}
