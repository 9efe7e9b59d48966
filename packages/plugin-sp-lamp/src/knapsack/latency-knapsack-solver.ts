import { inputError, type WidthLatency } from '@whittle/kernel';
import { GroupKnapsack, type KnapsackGroup } from './group-knapsack.js';
import { keepWidths, topKValues, type WidthGrid } from './keep-widths.js';

/** A prunable group with its per-channel importance (length = channel count). */
export interface ScoredGroup {
  readonly id: string;
  readonly scores: ArrayLike<number>;
}

export interface LatencyKnapsackOptions {
  /** The latency the pruned model may have, in ms, as the latency model predicts it. */
  readonly budgetMs: number;
  /** Keep-width granularity g. */
  readonly step: number;
  /** `multiples` (g, 2g, …, n; default) or `one-plus` (1, 1+g, …, n); see `WidthGrid`. */
  readonly widthGrid?: WidthGrid;
  /** Cost units of the knapsack's DP (see `GroupKnapsack`). */
  readonly resolution?: number;
  /** Most linearise–solve rounds before settling for the best feasible solution seen. Default 8. */
  readonly maxRounds?: number;
}

/** One linearise–solve round. */
export interface KnapsackRound {
  /** The widths the rounds started from. */
  readonly from: 'full' | 'smallest';
  readonly value: number;
  /** What the linearised (separable) model said the solution costs. */
  readonly linearisedMs: number;
  /** What the latency model says it costs. */
  readonly predictedMs: number;
}

export interface LatencyKnapsackResult {
  /** Group id → channels to keep. */
  readonly widths: ReadonlyMap<string, number>;
  /** Sum of the kept channels' scores. */
  readonly value: number;
  readonly predictedMs: number;
  /** Predicted latency with every group at full width. */
  readonly fullMs: number;
  /** Predicted latency with every group at its smallest width: the smallest budget accepted. */
  readonly minimumMs: number;
  readonly rounds: readonly KnapsackRound[];
  /** False when a start used all `maxRounds` rounds (it stops earlier on a repeated pick or after 3 rounds without a better feasible one). */
  readonly converged: boolean;
  /** Width steps the greedy repair removed (no round was feasible) and the top-up added. */
  readonly repairSteps: number;
  readonly topUpSteps: number;
}

interface Candidate {
  readonly widths: Int32Array;
  readonly items: Int32Array;
}

/**
 * Chooses how many channels each group keeps, maximising the summed SP-LAMP score of the kept
 * channels under a latency budget, when a layer's latency depends on its input AND output widths.
 *
 * Each round linearises the latency model around the current widths (the anchor): group i's cost
 * at width k is `predict(anchor with i at k) − predict(anchor)`, exact when only i moves. The
 * separable problem is a group knapsack (`GroupKnapsack`); its solution becomes the next anchor.
 * A fixed point is exactly feasible (the linearisation is exact at its anchor); rounds stop there,
 * on a cycle, after 3 rounds without a better feasible pick, or after `maxRounds`. Rounds run from
 * two anchors, full widths and smallest widths.
 * The best solution the real model deems feasible is kept; if no
 * round was feasible, a greedy repair steps widths down (least score lost per ms saved) until it is.
 * A greedy top-up then spends slack the rounding left. Every width is ≥ 1, so no layer empties.
 *
 * ```ts
 * const latency = { predict: (w: ReadonlyMap<string, number>) => 0.5 + 0.01 * (w.get('a') ?? 8) * (w.get('b') ?? 8) };
 * const result = solveLatencyKnapsack(
 *   [{ id: 'a', scores: Float32Array.of(1, 0.5, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1) }, { id: 'b', scores: new Float32Array(8).fill(0.3) }],
 *   latency, { budgetMs: 0.9, step: 2 });
 * result.predictedMs <= 0.9; // true
 * ```
 */
export function solveLatencyKnapsack(groups: readonly ScoredGroup[], latency: WidthLatency, options: LatencyKnapsackOptions): LatencyKnapsackResult {
  const { budgetMs, step } = options;
  const maxRounds = options.maxRounds ?? 8;
  if (!Number.isFinite(budgetMs) || budgetMs <= 0) {
    throw inputError('SP_LAMP_BAD_BUDGET', `latency budget must be a positive number of ms, got ${budgetMs}`, 'Give "budgetMs" > 0 or "budgetFraction" in (0, 1].');
  }
  if (!Number.isInteger(maxRounds) || maxRounds < 1) {
    throw inputError('SP_LAMP_BAD_OPTION', `option "maxRounds" must be an integer ≥ 1, got ${maxRounds}`, 'Use e.g. 8.');
  }
  const items = groups.map((g) => {
    const widths = keepWidths(g.scores.length, step, options.widthGrid);
    return { id: g.id, widths, values: topKValues(g.scores, widths) };
  });
  const toMap = (widths: ArrayLike<number>): Map<string, number> => new Map(items.map((g, i) => [g.id, widths[i] as number]));
  const predictMap = (widths: ReadonlyMap<string, number>): number => {
    const ms = latency.predict(widths);
    if (!Number.isFinite(ms)) {
      throw inputError('SP_LAMP_BAD_LATENCY', `the latency model predicted ${ms} ms for widths ${JSON.stringify(Object.fromEntries(widths))}`,
        'Check that the latency table covers every layer of the model at these widths.');
    }
    return ms;
  };
  const predict = (widths: ArrayLike<number>): number => predictMap(toMap(widths));
  const valueOf = (c: Candidate): number => c.items.reduce((sum, j, i) => sum + ((items[i] as (typeof items)[number]).values[j] as number), 0);
  const candidate = (choices: ArrayLike<number>): Candidate => {
    const itemIdx = Int32Array.from(choices);
    return { items: itemIdx, widths: Int32Array.from(items, (g, i) => g.widths[itemIdx[i] as number] as number) };
  };

  const full = candidate(items.map((g) => g.widths.length - 1));
  const smallest = candidate(items.map(() => 0));
  const fullMs = predict(full.widths);
  const minimumMs = predict(smallest.widths);
  const rounds: KnapsackRound[] = [];
  if (budgetMs >= fullMs) {
    return { widths: toMap(full.widths), value: valueOf(full), predictedMs: fullMs, fullMs, minimumMs, rounds, converged: true, repairSteps: 0, topUpSteps: 0 };
  }
  if (budgetMs < minimumMs) {
    // A noisy table can predict the smallest widths slower than the full model; then full is the floor.
    const floor = Math.min(minimumMs, fullMs);
    throw inputError('SP_LAMP_BUDGET_INFEASIBLE',
      `latency budget ${budgetMs.toFixed(4)} ms is below the smallest reachable latency, ${floor.toFixed(4)} ms (every group at its smallest width: ${minimumMs.toFixed(4)} ms; unpruned: ${fullMs.toFixed(4)} ms)`,
      `Raise the budget to at least ${floor.toFixed(4)} ms (budgetFraction ≥ ${(floor / fullMs).toFixed(3)}).`);
  }

  let best: { c: Candidate; value: number; ms: number } | undefined;
  /** Keeps `c` if it is feasible and beats the best so far; says whether it did. */
  const consider = (c: Candidate, ms: number): boolean => {
    const value = valueOf(c);
    if (ms > budgetMs || (best !== undefined && (value < best.value || (value === best.value && ms >= best.ms)))) return false;
    best = { c, value, ms };
    return true;
  };
  let converged = true;
  // Solutions any round produced: a start stops on a repeat (its fixed point or cycle, or the other start's path).
  const seen = new Set<string>();
  const iterate = (start: Candidate, startMs: number, from: KnapsackRound['from']): { anchor: Candidate; anchorMs: number } => {
    seen.add(start.widths.join(','));
    let anchor = start;
    let anchorMs = startMs;
    let stale = 0;
    for (let round = 0; round < maxRounds; round++) {
      // One map, one group changed at a time: thousands of predictions per round, no copies.
      const probe = toMap(anchor.widths);
      const linearised: KnapsackGroup[] = items.map((g, i) => {
        const costs = g.widths.map((k, j) => {
          if (j === anchor.items[i]) return 0;
          probe.set(g.id, k);
          return predictMap(probe) - anchorMs;
        });
        probe.set(g.id, anchor.widths[i] as number);
        return { id: g.id, widths: g.widths, values: g.values, costs };
      });
      const knapsack = new GroupKnapsack(linearised, { fixedCost: anchorMs, ...(options.resolution === undefined ? {} : { resolution: options.resolution }) });
      // The linearisation can overestimate what a joint move saves; then take its cheapest pick and let the rounds move on.
      const solution = knapsack.solve(Math.max(budgetMs, knapsack.minimumCost));
      const next = candidate(solution.choices);
      const ms = predict(next.widths);
      rounds.push({ from, value: solution.value, linearisedMs: solution.cost, predictedMs: ms });
      stale = consider(next, ms) ? 0 : stale + 1;
      const key = next.widths.join(',');
      anchor = next;
      anchorMs = ms;
      // Near a fixed point, rounding jitters the pick among near-equal ones; stop when rounds stop paying.
      if (seen.has(key) || stale >= PATIENCE) return { anchor, anchorMs };
      seen.add(key);
    }
    converged = false;
    return { anchor, anchorMs };
  };
  // Two starts: linearising at full width underestimates joint cuts, at the smallest widths joint growth; each
  // finds fixed points the other misses on tight budgets.
  const { anchor, anchorMs } = iterate(full, fullMs, 'full');
  iterate(smallest, minimumMs, 'smallest');

  let repairSteps = 0;
  let current: Candidate;
  let ms: number;
  if (best !== undefined) {
    current = best.c;
    ms = best.ms;
  } else {
    current = anchor;
    ms = anchorMs;
    while (ms > budgetMs) {
      // Some group is above its smallest width here: all at the smallest is minimumMs ≤ budget.
      const move = bestMove(current, ms, -1, Infinity) as Move;
      current = move.c;
      ms = move.ms;
      repairSteps++;
    }
  }
  let topUpSteps = 0;
  for (let move = bestMove(current, ms, +1, budgetMs); move !== undefined; move = bestMove(current, ms, +1, budgetMs)) {
    current = move.c;
    ms = move.ms;
    topUpSteps++;
  }
  return { widths: toMap(current.widths), value: valueOf(current), predictedMs: ms, fullMs, minimumMs, rounds, converged, repairSteps, topUpSteps };

  /**
   * The one-step width change with the best trade, among moves that stay within `limit` ms: stepping
   * down (direction −1) saves the most ms per score lost; stepping up (+1) gains the most score per
   * ms spent, free gains first, and never a move that gains nothing.
   */
  function bestMove(from: Candidate, fromMs: number, direction: -1 | 1, limit: number): Move | undefined {
    let chosen: (Move & { rank: number }) | undefined;
    items.forEach((g, i) => {
      const j = (from.items[i] as number) + direction;
      if (j < 0 || j >= g.widths.length) return;
      const dValue = Math.abs((g.values[j] as number) - (g.values[from.items[i] as number] as number));
      if (direction > 0 && dValue <= 0) return;
      const choices = Int32Array.from(from.items);
      choices[i] = j;
      const c = candidate(choices);
      const ms = predict(c.widths);
      if (ms > limit) return;
      const dMs = direction < 0 ? fromMs - ms : ms - fromMs;
      const rank = direction < 0
        ? (dValue > 0 ? dMs / dValue : dMs > 0 ? Infinity : dMs)
        : (dMs > 0 ? dValue / dMs : Infinity);
      if (chosen === undefined || rank > chosen.rank) chosen = { c, ms, rank };
    });
    return chosen === undefined ? undefined : { c: chosen.c, ms: chosen.ms };
  }
}

/** Rounds in a row without a better feasible pick after which a start stops. */
const PATIENCE = 3;

interface Move {
  readonly c: Candidate;
  readonly ms: number;
}
