import { dependencyGroups, layerOperationsOf, randomImportance } from '@whittle/graph';
import { definePluginMeta, LAYER_OPERATIONS, tapStage, Type, type Kernel, type LayerOperationRegistration, type Providers, type WhittlePlugin } from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';

/**
 * `score` stage `random`: seeded random scores (`randomImportance` with the stage's random stream),
 * the baseline any importance criterion must beat.
 *
 * ```json
 * { "hook": "score", "plugin": "random" }
 * ```
 */
@injectable()
export class RandomScore implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'random',
    hook: 'score',
    description: 'Seeded random channel scores (the baseline every criterion must beat).',
    optionsSchema: Type.Object({}, { additionalProperties: false }),
  });

  readonly name = RandomScore.meta.name;

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, RandomScore.meta, async (_previous, call) => randomImportance(dependencyGroups(call.ctx.model, ops).filter((g) => g.prunable), call.rng));
  }
}
