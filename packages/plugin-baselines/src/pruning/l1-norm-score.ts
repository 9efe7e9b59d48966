import { dependencyGroups, groupChannelNorms, layerOperationsOf } from '@whittle/graph';
import type { Kernel, PluginMeta, WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';
import type { FilterNorm } from '@whittle/graph';

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
  static readonly meta: PluginMeta = {
    name: 'l1-norm',
    hook: 'score',
    description: 'Filter magnitude per channel of each dependency group (L1, or squared L2), summed over coupled layers.',
    optionsSchema: { type: 'object', additionalProperties: false, properties: { norm: { enum: ['l1', 'l2sq'], default: 'l1' } } },
  };

  readonly name = L1NormScore.meta.name;

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(kernel.registry);
    kernel.hooks.score.for(this.name).tapPromise(this.name, async (_previous, call) => {
      const { norm } = call.options as { norm: FilterNorm };
      const model = call.ctx.model;
      const groups = dependencyGroups(model, ops).filter((g) => g.prunable);
      call.record({ scoredGroups: groups.length });
      return new Map(await Promise.all(groups.map(async (g) => [g.id, await groupChannelNorms(model, g, norm, ops)] as const)));
    });
  }
}
