import type * as tf from '@tensorflow/tfjs';

/** One attempt of `calibrateToMeasured`: the budget given to the predictor and what the pruned model measured. */
export interface CalibrationRound {
  readonly effectiveBudgetMs: number;
  readonly predictedMs: number;
  readonly measuredMs: number;
}

export interface Calibrated<Extra> {
  readonly model: tf.LayersModel;
  readonly measuredMs: number;
  readonly extra: Extra;
  readonly rounds: readonly CalibrationRound[];
}

export interface CalibrateOptions {
  /** Attempts at most (1 = prune once to the predicted budget and only measure). */
  readonly rounds: number;
  /** Stop once the measured latency is within this fraction of the budget. */
  readonly tolerance: number;
  /** A model `attempt` may hand back unchanged (nothing pruned): never disposed here. */
  readonly original?: tf.LayersModel;
}

/**
 * Closes the loop between predicted and measured latency. A latency table measures layers in
 * isolation; in the whole model their costs differ a little, and an optimiser over the table picks
 * configurations whose prediction errs low (it seeks them out). So: prune to the budget, measure
 * the real model on the target, rescale the budget given to the predictor by budget ÷ measured, and
 * prune again from the original — until the measurement is within `tolerance` or the rounds run
 * out. Keeps the attempt closest to the budget among those not over it by more than the
 * tolerance (else the least over), and disposes the others. `attempt` must not return `original`
 * models it does not own.
 *
 * ```ts
 * const { model, measuredMs } = await calibrateToMeasured(budgetMs,
 *   async (b) => { const p = await pruneToLatencyBudget(base, groups, predictor, { budgetMs: b, step: 8 }); return { model: p.model, predictedMs: p.result.predictedMs, extra: p }; },
 *   async (m) => (await measureLatency(m, { batchSize: 8, runs: 30 })).medianMs, { rounds: 3, tolerance: 0.03 });
 * ```
 */
export async function calibrateToMeasured<Extra>(
  budgetMs: number,
  attempt: (effectiveBudgetMs: number) => Promise<{ model: tf.LayersModel; predictedMs: number; extra: Extra }>,
  measure: (model: tf.LayersModel) => Promise<number>,
  options: CalibrateOptions,
): Promise<Calibrated<Extra>> {
  const rounds: CalibrationRound[] = [];
  const badness = (measuredMs: number): number => {
    const over = measuredMs / budgetMs - 1;
    return over > options.tolerance ? 1 + over : Math.abs(over);
  };
  let best: Calibrated<Extra> | undefined;
  let effective = budgetMs;
  for (let round = 0; round < Math.max(1, options.rounds); round++) {
    let tried: { model: tf.LayersModel; predictedMs: number; extra: Extra };
    try {
      tried = await attempt(effective);
    } catch (error) {
      // A rescaled budget below what the predictor can reach ends the search; the first attempt's error is the caller's.
      if (best === undefined) throw error;
      break;
    }
    const measuredMs = await measure(tried.model);
    rounds.push({ effectiveBudgetMs: effective, predictedMs: tried.predictedMs, measuredMs });
    const release = (model: tf.LayersModel): void => {
      if (model !== options.original) model.dispose();
    };
    if (best === undefined || badness(measuredMs) < badness(best.measuredMs)) {
      if (best !== undefined && best.model !== tried.model) release(best.model);
      best = { model: tried.model, measuredMs, extra: tried.extra, rounds };
    } else if (tried.model !== best.model) {
      release(tried.model);
    }
    if (Math.abs(measuredMs / budgetMs - 1) <= options.tolerance) break;
    effective *= budgetMs / measuredMs;
  }
  return { ...best!, rounds };
}
