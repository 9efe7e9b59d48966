import { LOGGER, type Kernel, type Logger, type PluginMeta, type WhittlePlugin } from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { spLampScores, type SpLampOptions } from './sp-lamp-scores.js';

/**
 * `score` stage `sp-lamp`: SP-LAMP importance of every prunable dependency group's channels, for
 * `latency-knapsack` or `global-lamp` (or any pruner reading `ctx.scores`) to use.
 *
 * ```json
 * { "hook": "score", "plugin": "sp-lamp", "options": { "norm": "l2sq", "foldBatchNorm": false, "combine": "max" } }
 * ```
 */
@injectable()
export class SpLampScorePlugin implements WhittlePlugin {
  static readonly meta: PluginMeta = {
    name: 'sp-lamp',
    hook: 'score',
    description: 'SP-LAMP filter importance: per layer, ‖F_j‖² divided by the sum over filters at least as large; coupled layers combined per channel.',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        norm: { enum: ['l2sq', 'l1'], default: 'l2sq', description: 'Filter size: squared L2 norm (LAMP) or L1 norm.' },
        foldBatchNorm: { type: 'boolean', default: false, description: 'Scale each filter by the following BatchNorm\'s |γ|/sqrt(var+ε) first.' },
        combine: { enum: ['max', 'mean'], default: 'max', description: 'How the scores of coupled layers (residual adds) combine per channel.' },
      },
    },
  };

  readonly name = SpLampScorePlugin.meta.name;

  constructor(@inject(LOGGER) private readonly logger: Logger) {}

  apply(kernel: Kernel): void {
    kernel.hooks.score.for(this.name).tapPromise(this.name, async (_previous, call) => {
      const options = call.options as SpLampOptions;
      const scores = await spLampScores(call.ctx.model, options);
      const channels = [...scores.values()].reduce((sum, s) => sum + s.length, 0);
      this.logger.info(`  SP-LAMP scores for ${scores.size} prunable groups (${channels} channels)`);
      call.record({ scoredGroups: scores.size, scoredChannels: channels });
      return scores;
    });
  }
}
