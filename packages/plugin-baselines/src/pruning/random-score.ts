import { dependencyGroups, layerOperationsOf } from '@whittle/graph';
import { definePluginMeta, tapStage, Type, type Kernel, type WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';

/**
 * `score` stage `random`: seeded random scores, the baseline any importance criterion must beat.
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

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(kernel.registry);
    tapStage(kernel, RandomScore.meta, async (_previous, call) => {
      const groups = dependencyGroups(call.ctx.model, ops).filter((g) => g.prunable);
      return new Map(groups.map((g) => [g.id, Float32Array.from({ length: g.channels }, () => call.rng.next())]));
    });
  }
}
