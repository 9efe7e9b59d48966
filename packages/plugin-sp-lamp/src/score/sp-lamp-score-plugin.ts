import { layerOperationsOf } from '@whittle/graph';
import {
  definePluginMeta, LAYER_OPERATIONS, LOGGER, StringEnum, tapStage, Type, withDefault,
  type Kernel, type LayerOperationRegistration, type Logger, type Providers, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { SP_LAMP_DEFAULTS, spLampScores } from './sp-lamp-scores.js';

/** The options schema of the `sp-lamp` score stage. */
export const SpLampScoreOptionsSchema = Type.Object(
  {
    norm: withDefault(StringEnum(['l2sq', 'l1'], { description: 'Filter size: squared L2 norm (LAMP) or L1 norm.' }), SP_LAMP_DEFAULTS.norm),
    foldBatchNorm: withDefault(Type.Boolean({ description: 'Scale each filter by the following BatchNorm\'s |γ|/sqrt(var+ε) first.' }), SP_LAMP_DEFAULTS.foldBatchNorm),
    combine: withDefault(StringEnum(['max', 'mean'], { description: 'How the scores of coupled layers (residual adds) combine per channel.' }), SP_LAMP_DEFAULTS.combine),
  },
  { additionalProperties: false },
);

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
  static readonly meta = definePluginMeta({
    name: 'sp-lamp',
    hook: 'score',
    description: 'SP-LAMP filter importance: per layer, ‖F_j‖² divided by the sum over filters at least as large; coupled layers combined per channel.',
    optionsSchema: SpLampScoreOptionsSchema,
  });

  readonly name = SpLampScorePlugin.meta.name;

  constructor(
    @inject(LOGGER) private readonly logger: Logger,
    @inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>,
  ) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, SpLampScorePlugin.meta, async (_previous, call) => {
      const scores = await spLampScores(call.ctx.model, call.options, ops);
      const channels = [...scores.values()].reduce((sum, s) => sum + s.length, 0);
      this.logger.info(`  SP-LAMP scores for ${scores.size} prunable groups (${channels} channels)`);
      call.record({ scoredGroups: scores.size, scoredChannels: channels });
      return scores;
    });
  }
}
