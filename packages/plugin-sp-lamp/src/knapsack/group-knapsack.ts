import { inputError } from '@whittle/kernel';

/** One group of the multiple-choice knapsack: exactly one of its items is picked. */
export interface KnapsackGroup {
  readonly id: string;
  /** What each item means (for the pruner: the keep-width); reported back in the solution. */
  readonly widths: readonly number[];
  /** Value of each item (higher is better). */
  readonly values: ArrayLike<number>;
  /** Cost of each item, any finite real: only differences inside a group matter to the solver. */
  readonly costs: ArrayLike<number>;
}

export interface GroupKnapsackOptions {
  /** Cost every solution pays whatever it picks (layers outside the groups, fixed overhead). Default 0. */
  readonly fixedCost?: number;
  /**
   * How many integer cost units the span between the cheapest and the dearest solution is cut into.
   * Costs are rounded UP to units, so a solution never exceeds the budget; each group loses at most
   * one unit of slack to rounding. Default 4000.
   */
  readonly resolution?: number;
  /** Unit of costs in error messages. Default `ms`. */
  readonly unit?: string;
}

/** The items picked, one per group, in the order the groups were given. */
export interface KnapsackSolution {
  /** Index of the picked item of each group. */
  readonly choices: Int32Array;
  /** Group id → the picked item's width. */
  readonly widths: ReadonlyMap<string, number>;
  readonly value: number;
  /** `fixedCost` + the exact (unrounded) costs of the picked items. */
  readonly cost: number;
}

/** Default number of cost units; see `GroupKnapsackOptions.resolution`. */
export const DEFAULT_KNAPSACK_RESOLUTION = 4000;

function requireFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) {
    throw inputError('KNAPSACK_BAD_INPUT', `${what} is ${value}, not a finite number`, 'Give finite values and costs (a latency table with a missing entry gives NaN).');
  }
}

/**
 * Multiple-choice ("group") knapsack: pick exactly one item per group so that the summed value is
 * maximal and the summed cost stays within a budget. Dynamic programming over an integer cost axis
 * (`dp[i][t]` = best value of groups 0..i within t units), then a backtrack. The discretisation is
 * fixed when the instance is built (the cheapest-to-dearest span cut into `resolution` units), so
 * the optimum never decreases when the budget grows. Time O(items × units), memory O(groups × units).
 *
 * ```ts
 * const knapsack = new GroupKnapsack([
 *   { id: 'a', widths: [1, 9, 16], values: [1, 2.5, 3], costs: [1, 2, 4] },
 *   { id: 'b', widths: [1, 9, 16], values: [1, 1.2, 1.3], costs: [1, 3, 5] },
 * ], { resolution: 7 }); // span 9 − 2 = 7 ms in 7 units: 1 ms each, so no rounding loss here
 * knapsack.solve(5).widths; // Map { 'a' => 16, 'b' => 1 } (value 4, cost 5)
 * ```
 */
export class GroupKnapsack {
  /** Cost of the cheapest solution. */
  readonly minimumCost: number;
  /** Cost of the dearest solution: any budget at or above it picks the best item of every group. */
  readonly maximumCost: number;
  private readonly fixedCost: number;
  private readonly unitName: string;
  private readonly resolution: number;
  private readonly minima: Float64Array;
  private readonly unitCost: number;
  /** Rounded-up cost units of every item, group after group. */
  private readonly units: Int32Array;
  private readonly firstItem: Int32Array;

  constructor(private readonly groups: readonly KnapsackGroup[], options: GroupKnapsackOptions = {}) {
    this.fixedCost = options.fixedCost ?? 0;
    this.unitName = options.unit ?? 'ms';
    this.resolution = options.resolution ?? DEFAULT_KNAPSACK_RESOLUTION;
    requireFinite(this.fixedCost, 'fixedCost');
    if (!Number.isInteger(this.resolution) || this.resolution < 1 || this.resolution > 10_000_000) {
      throw inputError('KNAPSACK_BAD_INPUT', `resolution must be an integer in 1…10000000, got ${this.resolution}`, 'Use e.g. 4000.');
    }
    const seenIds = new Set<string>();
    this.minima = new Float64Array(groups.length);
    const maxima = new Float64Array(groups.length);
    this.firstItem = new Int32Array(groups.length + 1);
    groups.forEach((group, i) => {
      const n = group.widths.length;
      if (seenIds.has(group.id)) throw inputError('KNAPSACK_BAD_INPUT', `group "${group.id}" is given twice`, 'Give each group once.');
      seenIds.add(group.id);
      if (n === 0 || group.values.length !== n || group.costs.length !== n) {
        throw inputError('KNAPSACK_BAD_INPUT', `group "${group.id}" has ${n} widths, ${group.values.length} values and ${group.costs.length} costs`,
          'Give at least one item, with one value and one cost per width.');
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < n; j++) {
        const cost = group.costs[j] as number;
        requireFinite(cost, `cost of item ${j} (width ${group.widths[j]}) of group "${group.id}"`);
        requireFinite(group.values[j] as number, `value of item ${j} (width ${group.widths[j]}) of group "${group.id}"`);
        lo = Math.min(lo, cost);
        hi = Math.max(hi, cost);
      }
      this.minima[i] = lo;
      maxima[i] = hi;
      this.firstItem[i + 1] = (this.firstItem[i] as number) + n;
    });
    const sum = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0);
    this.minimumCost = this.fixedCost + sum(this.minima);
    this.maximumCost = this.fixedCost + sum(maxima);
    const span = this.maximumCost - this.minimumCost;
    this.unitCost = span > 0 ? span / this.resolution : 1;
    this.units = new Int32Array(this.firstItem[groups.length] as number);
    groups.forEach((group, i) => {
      for (let j = 0; j < group.widths.length; j++) {
        const extra = (group.costs[j] as number) - (this.minima[i] as number);
        let u = Math.ceil(extra / this.unitCost);
        // Float division can land a hair low; the bound "units · unitCost ≥ extra" must hold exactly.
        while (u * this.unitCost < extra) u++;
        this.units[(this.firstItem[i] as number) + j] = u;
      }
    });
  }

  /**
   * The best pick whose cost is at most `budget`. Throws an input error naming the cheapest
   * reachable cost when the budget is below it.
   */
  solve(budget: number): KnapsackSolution {
    requireFinite(budget, 'the budget');
    if (budget < this.minimumCost) {
      throw inputError('KNAPSACK_BUDGET_INFEASIBLE',
        `budget ${budget} ${this.unitName} is below the smallest reachable cost, ${this.minimumCost} ${this.unitName} (every group at its cheapest item)`,
        `Raise the budget to at least ${this.minimumCost} ${this.unitName}.`);
    }
    const n = this.groups.length;
    const choices = new Int32Array(n);
    if (budget >= this.maximumCost) {
      this.groups.forEach((group, i) => (choices[i] = bestItem(group)));
      return this.solution(choices);
    }
    let capacity = Math.floor((budget - this.minimumCost) / this.unitCost);
    while (capacity > 0 && capacity * this.unitCost > budget - this.minimumCost) capacity--;
    capacity = Math.min(capacity, this.resolution);
    const width = capacity + 1;
    const picks = new Int32Array(n * width);
    let previous = new Float64Array(width);
    let current = new Float64Array(width);
    for (let i = 0; i < n; i++) {
      const group = this.groups[i] as KnapsackGroup;
      const base = this.firstItem[i] as number;
      current.fill(-Infinity);
      const row = i * width;
      for (let j = 0; j < group.widths.length; j++) {
        const u = this.units[base + j] as number;
        if (u > capacity) continue;
        const v = group.values[j] as number;
        for (let t = u; t < width; t++) {
          const candidate = (previous[t - u] as number) + v;
          if (candidate > (current[t] as number)) {
            current[t] = candidate;
            picks[row + t] = j;
          }
        }
      }
      [previous, current] = [current, previous];
    }
    let t = capacity;
    for (let i = n - 1; i >= 0; i--) {
      const j = picks[i * width + t] as number;
      choices[i] = j;
      t -= this.units[(this.firstItem[i] as number) + j] as number;
    }
    return this.solution(choices);
  }

  private solution(choices: Int32Array): KnapsackSolution {
    let value = 0;
    let cost = this.fixedCost;
    const widths = new Map<string, number>();
    this.groups.forEach((group, i) => {
      const j = choices[i] as number;
      value += group.values[j] as number;
      cost += group.costs[j] as number;
      widths.set(group.id, group.widths[j] as number);
    });
    return { choices, widths, value, cost };
  }
}

/** The most valuable item of a group, the cheaper one on a tie. */
function bestItem(group: KnapsackGroup): number {
  let best = 0;
  for (let j = 1; j < group.widths.length; j++) {
    const v = group.values[j] as number;
    const b = group.values[best] as number;
    if (v > b || (v === b && (group.costs[j] as number) < (group.costs[best] as number))) best = j;
  }
  return best;
}
