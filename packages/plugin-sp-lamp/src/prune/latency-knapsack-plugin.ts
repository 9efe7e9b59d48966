import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { layerOperationsOf, scoredGroups, type LayerOperations } from '@whittle/graph';
import {
  definePluginMeta, LATENCY_MODELS, LAYER_OPERATIONS, LOGGER, StringEnum, tapStage, Type, withDefault,
  type Kernel, type LatencyEstimate, type LatencyModel, type LayerOperationRegistration, type Logger, type Providers, type StageCall, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { calibrateToMeasured, type Calibrated } from './calibrate-to-measured.js';
import { pruneToLatencyBudget, resolveBudget, type LatencyBudgetPruning } from './prune-to-latency-budget.js';

/** The options schema of the `latency-knapsack` stage: a budget (`budgetMs` or `budgetFraction`) and how to measure and solve. */
export const LatencyKnapsackOptionsSchema = Type.Object(
  {
    latencyModel: withDefault(Type.String({ minLength: 1, description: 'Registered latency model to predict (and measure) latency with.' }), 'tfjs-profiler'),
    budgetMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Latency the pruned model may have (ms): held to its latency measured against the model being pruned, or to the prediction with calibrationRounds 1. Give this or budgetFraction.' })),
    budgetFraction: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Budget as a fraction of the latency of the model this stage prunes (in a progressive pipeline, the previous cut\'s model).' })),
    latencyTable: Type.Optional(Type.String({ minLength: 1, description: 'Latency table file (relative to the pipeline file) to start from; missing entries are measured. A table measured on another device (a browser\'s WebGL or WebGPU) is predicted from alone, for that device.' })),
    batchSize: withDefault(Type.Integer({ minimum: 1 }), 1),
    step: withDefault(Type.Integer({ minimum: 1, description: 'Channel step g of the widths and of the table.' }), 8),
    warmup: withDefault(Type.Integer({ minimum: 0 }), 3),
    runs: withDefault(Type.Integer({ minimum: 1 }), 10),
    maxGridPoints: withDefault(Type.Integer({ minimum: 2, description: 'Measured cin and cout values per layer at most; others interpolated.' }), 16),
    clock: withDefault(StringEnum(['wall', 'kernel']), 'wall'),
    widthGrid: withDefault(StringEnum(['multiples', 'one-plus'], { description: 'Widths g, 2g, …, n (the table\'s points) or 1, 1+g, …, n.' }), 'multiples'),
    resolution: withDefault(Type.Integer({ minimum: 10, maximum: 1000000, description: 'Cost units of the knapsack DP.' }), 4000),
    maxRounds: withDefault(Type.Integer({ minimum: 1, maximum: 100, description: 'Linearise-solve rounds per start.' }), 8),
    calibrationRounds: withDefault(Type.Integer({ minimum: 1, maximum: 10, description: 'Prune, measure the pruned model, rescale the budget by budget/measured and prune again, at most this many times (1: trust the prediction).' }), 3),
    calibrationTolerance: withDefault(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, description: 'Stop calibrating once measured latency is within this fraction of the budget.' }), 0.03),
  },
  { additionalProperties: false, anyOf: [{ required: ['budgetMs'] }, { required: ['budgetFraction'] }] },
);

/** Options of the `latency-knapsack` stage (defaults filled in by the schema). */
export type LatencyKnapsackStageOptions = StageOptions<typeof LatencyKnapsackOptionsSchema>;

/**
 * `prune` stage `latency-knapsack`: SP-LAMP's pruner. Predicts the model's latency with the
 * registered latency model named by `latencyModel` (default `tfjs-profiler`: a per-layer latency
 * table on the active backend, `latencyTable` extended with what it lacks, or measured now; an
 * analytic model such as an FPGA's computes it), picks each group's width by the group knapsack under the budget
 * (maximising the kept SP-LAMP score; see `solveLatencyKnapsack`), removes each group's
 * lowest-score channels down to that width and returns the physically smaller model. A latency
 * model that measures (the profiler) calibrates the budget against the pruned model's measured
 * latency; an analytic one is trusted as it is. Writes `knapsack.json` (widths, budget, rounds)
 * and the latency model's artifacts (the profiler's `latency-table.json`).
 *
 * ```json
 * { "hook": "prune", "plugin": "latency-knapsack", "options": { "budgetFraction": 0.5, "step": 8, "runs": 10 } }
 * ```
 */
@injectable()
export class LatencyKnapsackPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'latency-knapsack',
    hook: 'prune',
    description: 'Prune to a latency budget: group knapsack over per-group widths maximising kept SP-LAMP score, latency from a measured per-layer table.',
    requires: ['scores'],
    optionsSchema: LatencyKnapsackOptionsSchema,
  });

  readonly name = LatencyKnapsackPlugin.meta.name;

  /** Latency models are found by name in what the run's packages registered (the `LATENCY_MODELS` service), never imported. */
  constructor(
    @inject(LOGGER) private readonly logger: Logger,
    @inject(LATENCY_MODELS) private readonly latencyModels: Providers<LatencyModel>,
    @inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>,
  ) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, LatencyKnapsackPlugin.meta, async (model, call) => this.prune(model, call, ops));
  }

  private async prune(model: tf.LayersModel, call: StageCall<LatencyKnapsackStageOptions>, ops: LayerOperations): Promise<tf.LayersModel> {
    const options = call.options;
    resolveBudget(options, 1); // refuse a bad budget before measuring anything
    const groups = scoredGroups(model, call.ctx.scores, call.stage.label, ops).map(({ group, scores }) => ({ id: group.id, scores }));
    const latencyModel = this.latencyModels.get(options.latencyModel, {
      hint: options.latencyModel === 'tfjs-profiler' ? 'Add "@whittle/plugin-profiler" to the pipeline\'s "plugins".' : 'Add the package that registers it to the pipeline\'s "plugins", or name a registered one in "latencyModel".',
    });
    const estimate: LatencyEstimate = await latencyModel.estimate(model, {
      batchSize: options.batchSize, step: options.step, adapter: call.ctx.backend.adapter?.description ?? null, logger: this.logger,
      timing: { warmup: options.warmup, runs: options.runs, maxGridPoints: options.maxGridPoints, clock: options.clock },
      ...(options.latencyTable === undefined ? {} : { tableFile: resolve(call.ctx.configDir, options.latencyTable) }),
    });
    const fullMs = estimate.predict(new Map());
    const budgetMs = resolveBudget(options, fullMs);
    const attempt = async (effective: number): Promise<{ model: tf.LayersModel; predictedMs: number; extra: LatencyBudgetPruning }> => {
      const pruning = await pruneToLatencyBudget(model, groups, estimate, { ...options, budgetFraction: undefined, budgetMs: effective, ops });
      return { model: pruning.model, predictedMs: pruning.result.predictedMs, extra: pruning };
    };
    // A model that measures closes the loop on the target; an analytic model's prediction is the figure itself.
    const calibrated: Omit<Calibrated<LatencyBudgetPruning>, 'measuredMs'> & { readonly measuredMs?: number } =
      estimate.measure === undefined
        ? { ...(await attempt(budgetMs)), rounds: [] as const }
        : await calibrateToMeasured(budgetMs, attempt, estimate.measure, { rounds: options.calibrationRounds, tolerance: options.calibrationTolerance, original: model });
    const { model: pruned, extra: { result, plan, budgetMs: effectiveBudgetMs } } = calibrated;

    try {
      const total = groups.reduce((sum, g) => sum + g.scores.length, 0);
      const kept = [...result.widths.values()].reduce((a, b) => a + b, 0);
      const metrics: Record<string, number | boolean> = {
        // Calibration rescales the budget given to the predictor (by budget ÷ measured), so the
        // prediction stays within effectiveBudgetMs, and measuredMs is what is held to budgetMs.
        budgetMs, effectiveBudgetMs, predictedFullMs: fullMs, predictedMs: result.predictedMs, minimumReachableMs: result.minimumMs,
        keptChannels: kept, scoredChannels: total, groupsPruned: plan.size, keptScore: result.value,
        rounds: result.rounds.length, converged: result.converged, repairSteps: result.repairSteps, topUpSteps: result.topUpSteps,
        ...estimate.figures,
      };
      if (calibrated.measuredMs !== undefined) {
        metrics['measuredMs'] = calibrated.measuredMs;
        metrics['predictionError'] = (result.predictedMs - calibrated.measuredMs) / calibrated.measuredMs;
      }
      metrics['calibrationRounds'] = calibrated.rounds.length;
      call.record({ ...metrics, latencyModel: latencyModel.name });
      for (const [file, text] of Object.entries(estimate.artifacts)) await call.ctx.artifacts.writeFile(file, text);
      await call.ctx.artifacts.writeFile('knapsack.json', `${JSON.stringify({
        latencyModel: latencyModel.name, budgetMs, effectiveBudgetMs, predictedFullMs: fullMs, predictedMs: result.predictedMs, minimumReachableMs: result.minimumMs, keptScore: result.value,
        widths: Object.fromEntries(groups.map((g) => [g.id, { channels: g.scores.length, kept: result.widths.get(g.id) }])),
        rounds: result.rounds, converged: result.converged, repairSteps: result.repairSteps, topUpSteps: result.topUpSteps,
        calibration: calibrated.rounds,
      }, null, 2)}\n`);
      this.logger.info(`  latency budget ${budgetMs.toFixed(3)} ms of ${fullMs.toFixed(3)} ms predicted: kept ${kept}/${total} channels, predicted ${result.predictedMs.toFixed(3)} ms` +
        (metrics['measuredMs'] === undefined ? '' : `, measured ${(metrics['measuredMs'] as number).toFixed(3)} ms`));
    } catch (error) {
      if (pruned !== model) pruned.dispose();
      throw error;
    }
    return pruned;
  }
}
