import type * as tf from '@tensorflow/tfjs';
import { pruneChannels, pruningPlan, type ChannelPlan, type LayerOperations } from '@whittle/graph';
import { inputError, type WidthLatency } from '@whittle/kernel';
import type { WidthGrid } from '../knapsack/keep-widths.js';
import { solveLatencyKnapsack, type LatencyKnapsackResult, type ScoredGroup } from '../knapsack/latency-knapsack-solver.js';

export interface LatencyBudget {
  /** The predicted latency the pruned model may have, in ms. Give this or `budgetFraction`. */
  readonly budgetMs?: number;
  /** The budget as a fraction of the unpruned model's predicted latency. */
  readonly budgetFraction?: number;
}

export interface PruneToLatencyBudgetOptions extends LatencyBudget {
  readonly step: number;
  readonly widthGrid?: WidthGrid;
  readonly resolution?: number;
  readonly maxRounds?: number;
  /** The layer operations the model is pruned with (default: the built-ins). */
  readonly ops?: LayerOperations;
}

/** What `pruneToLatencyBudget` did. */
export interface LatencyBudgetPruning {
  /** The pruned model (the input model itself when nothing was removed; else a new one the caller owns). */
  readonly model: tf.LayersModel;
  readonly budgetMs: number;
  readonly result: LatencyKnapsackResult;
  /** Channels removed per group. */
  readonly plan: ChannelPlan;
}

/**
 * The budget in ms from exactly one of `budgetMs` and `budgetFraction` (× the unpruned prediction).
 *
 * ```ts
 * resolveBudget({ budgetFraction: 0.5 }, 4.2); // 2.1
 * ```
 */
export function resolveBudget(budget: LatencyBudget, fullMs: number): number {
  const { budgetMs, budgetFraction } = budget;
  if ((budgetMs === undefined) === (budgetFraction === undefined)) {
    throw inputError('SP_LAMP_BAD_BUDGET', 'a latency budget needs exactly one of options "budgetMs" and "budgetFraction"',
      'Give e.g. "budgetFraction": 0.5 (half the unpruned latency) or "budgetMs": 3.2.');
  }
  if (budgetFraction !== undefined && !(budgetFraction > 0 && budgetFraction <= 1)) {
    throw inputError('SP_LAMP_BAD_BUDGET', `option "budgetFraction" must be in (0, 1], got ${budgetFraction}`, 'Give the fraction of the unpruned latency to keep, e.g. 0.5.');
  }
  return budgetMs ?? (budgetFraction as number) * fullMs;
}

/**
 * SP-LAMP's pruning step: chooses each scored group's width under the latency budget with the
 * group knapsack (`solveLatencyKnapsack`), removes each group's lowest-score channels down to that
 * width, and rebuilds the smaller model (`pruneChannels`). The input model is left as it is.
 *
 * ```ts
 * const groups = [...(await spLampScores(model))].map(([id, scores]) => ({ id, scores }));
 * const { model: pruned, result } = await pruneToLatencyBudget(model, groups, predictor, { budgetFraction: 0.5, step: 8 });
 * console.log(result.predictedMs);
 * ```
 */
export async function pruneToLatencyBudget(model: tf.LayersModel, groups: readonly ScoredGroup[], latency: WidthLatency, options: PruneToLatencyBudgetOptions): Promise<LatencyBudgetPruning> {
  const budgetMs = resolveBudget(options, latency.predict(new Map()));
  const result = solveLatencyKnapsack(groups, latency, {
    budgetMs, step: options.step,
    ...(options.widthGrid === undefined ? {} : { widthGrid: options.widthGrid }),
    ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
    ...(options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds }),
  });
  const { plan } = pruningPlan(new Map(groups.map((g) => [g.id, g.scores])), { kind: 'widths', widths: result.widths });
  const pruned = plan.size === 0 ? model : await pruneChannels(model, plan, options.ops);
  return { model: pruned, budgetMs, result, plan };
}
