import { dependencyGroups, layerOperationsOf } from '@whittle/graph';
import type { Kernel, PluginMeta, WhittlePlugin } from '@whittle/kernel';
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
  static readonly meta: PluginMeta = {
    name: 'random',
    hook: 'score',
    description: 'Seeded random channel scores (the baseline every criterion must beat).',
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  };

  readonly name = RandomScore.meta.name;

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(kernel.registry);
    kernel.hooks.score.for(this.name).tapPromise(this.name, async (_previous, call) => {
      const groups = dependencyGroups(call.ctx.model, ops).filter((g) => g.prunable);
      return new Map(groups.map((g) => [g.id, Float32Array.from({ length: g.channels }, () => call.rng.next())]));
    });
  }
}
