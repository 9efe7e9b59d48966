import { dependencyGroups, layerOperationsOf, magnitudeImportance } from '@whittle/graph';
import {
  definePluginMeta, LAYER_OPERATIONS, StringEnum, tapStage, Type, withDefault,
  type Kernel, type LayerOperationRegistration, type Providers, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';

/**
 * `score` stage `l1-norm`: each channel of each prunable dependency group scores the L1 norm (or
 * squared L2 norm) of its filters, summed over the group's coupled producers (Li et al. 2017,
 * "Pruning Filters for Efficient ConvNets"): `magnitudeImportance` with `{ norm }` (sum, no normaliser).
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

  /** The custom layers of the run's packages (`LAYER_OPERATIONS`) count, besides the built-ins. */
  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, L1NormScore.meta, async (_previous, call) => {
      const model = call.ctx.model;
      const groups = dependencyGroups(model, ops).filter((g) => g.prunable);
      call.record({ scoredGroups: groups.length });
      return magnitudeImportance(model, groups, { norm: call.options.norm, reduction: 'sum', normaliser: 'none' }, ops);
    });
  }
}
