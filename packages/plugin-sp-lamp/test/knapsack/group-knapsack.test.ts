import { SeededRng, type WhittleError } from '@whittle/kernel';
import { describe, expect, it } from 'vitest';
import { GroupKnapsack, type KnapsackGroup } from '../../src/knapsack/group-knapsack.js';
import { keepWidths, topKValues } from '../../src/knapsack/keep-widths.js';
import { bruteForceKnapsack } from '../helpers/brute-force.js';

/** A random instance: 1–4 groups of 1–5 items, values and costs as `cost()` draws them. */
function randomInstance(rng: SeededRng, cost: () => number): KnapsackGroup[] {
  return Array.from({ length: 1 + rng.int(4) }, (_, g) => {
    const n = 1 + rng.int(5);
    return {
      id: `g${g}`,
      widths: Array.from({ length: n }, (_, j) => j + 1),
      values: Array.from({ length: n }, () => rng.next() * 3),
      costs: Array.from({ length: n }, cost),
    };
  });
}

function span(groups: readonly KnapsackGroup[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const g of groups) {
    min += Math.min(...Array.from(g.costs));
    max += Math.max(...Array.from(g.costs));
  }
  return { min, max };
}

describe('GroupKnapsack', () => {
  it('equals brute force on 300 seeded instances with integer costs (one cost unit = 1)', () => {
    const rng = SeededRng.from(1, 'knapsack-integer');
    for (let trial = 0; trial < 300; trial++) {
      const groups = randomInstance(rng, () => rng.int(11));
      const { min, max } = span(groups);
      const fixedCost = rng.int(3);
      const knapsack = new GroupKnapsack(groups, { fixedCost, resolution: Math.max(1, max - min) });
      const budget = fixedCost + min + rng.int(max - min + 2);
      const solution = knapsack.solve(budget);
      expect(solution.cost).toBeLessThanOrEqual(budget);
      expect(solution.value).toBeCloseTo(bruteForceKnapsack(groups, budget, fixedCost), 9);
      expect(solution.widths.size).toBe(groups.length);
    }
  });

  it('never exceeds the budget with real costs, and loses at most one cost unit per group to rounding', () => {
    const rng = SeededRng.from(2, 'knapsack-real');
    for (let trial = 0; trial < 300; trial++) {
      const groups = randomInstance(rng, () => rng.next() * 5);
      const { min, max } = span(groups);
      const resolution = 50 + rng.int(200);
      const knapsack = new GroupKnapsack(groups, { resolution });
      const budget = min + rng.next() * (max - min) * 1.1;
      const solution = knapsack.solve(budget);
      const unit = (max - min) / resolution;
      expect(solution.cost).toBeLessThanOrEqual(budget);
      expect(solution.value).toBeLessThanOrEqual(bruteForceKnapsack(groups, budget) + 1e-9);
      expect(solution.value).toBeGreaterThanOrEqual(bruteForceKnapsack(groups, budget - groups.length * unit) - 1e-9);
    }
  });

  it('refuses a budget below the smallest reachable cost and names that cost', () => {
    const groups: KnapsackGroup[] = [
      { id: 'a', widths: [1, 2], values: [1, 2], costs: [1.5, 3] },
      { id: 'b', widths: [1, 2], values: [1, 2], costs: [2, 4] },
    ];
    const knapsack = new GroupKnapsack(groups, { fixedCost: 0.25 });
    expect(knapsack.minimumCost).toBe(3.75);
    expect(() => knapsack.solve(3.7)).toThrowError(/below the smallest reachable cost, 3\.75 ms/);
    try {
      knapsack.solve(3.7);
    } catch (error) {
      expect((error as WhittleError).code).toBe('KNAPSACK_BUDGET_INFEASIBLE');
      expect((error as WhittleError).kind).toBe('input');
    }
    expect(knapsack.solve(3.75).widths).toEqual(new Map([['a', 1], ['b', 1]]));
  });

  it('is monotone in the budget: a larger budget never gives a smaller value', () => {
    const rng = SeededRng.from(3, 'knapsack-monotone');
    for (let trial = 0; trial < 40; trial++) {
      const groups = Array.from({ length: 6 }, (_, g) => {
        const scores = Float32Array.from({ length: 5 + rng.int(40) }, () => rng.next());
        const widths = keepWidths(scores.length, 1 + rng.int(6));
        return { id: `g${g}`, widths, values: topKValues(scores, widths), costs: widths.map((k) => 0.01 * k + rng.next() * 0.05) };
      });
      const knapsack = new GroupKnapsack(groups, { resolution: 300 });
      let previous = -Infinity;
      for (let b = 0; b <= 40; b++) {
        const budget = b === 40 ? knapsack.maximumCost : knapsack.minimumCost + ((knapsack.maximumCost - knapsack.minimumCost) * b) / 40;
        const solution = knapsack.solve(budget);
        expect(solution.value).toBeGreaterThanOrEqual(previous);
        expect(solution.cost).toBeLessThanOrEqual(budget + 1e-12);
        for (const width of solution.widths.values()) expect(width).toBeGreaterThanOrEqual(1);
        previous = solution.value;
      }
      expect(previous).toBeCloseTo(groups.reduce((s, g) => s + Math.max(...g.values), 0), 9);
    }
  });

  it('refuses malformed groups with a message that names the group', () => {
    expect(() => new GroupKnapsack([{ id: 'x', widths: [1, 2], values: [1], costs: [1, 2] }])).toThrowError(/group "x" has 2 widths, 1 values/);
    expect(() => new GroupKnapsack([{ id: 'x', widths: [1], values: [1], costs: [Number.NaN] }])).toThrowError(/cost of item 0 \(width 1\) of group "x" is NaN/);
    expect(() => new GroupKnapsack([], { resolution: 0 })).toThrowError(/resolution must be an integer/);
  });
});

describe('keepWidths / topKValues', () => {
  it('steps by g (multiples of g, or from the score-1 channel) and always includes the full width', () => {
    expect(keepWidths(20, 8)).toEqual([8, 16, 20]);
    expect(keepWidths(6, 8)).toEqual([6]);
    expect(keepWidths(20, 8, 'one-plus')).toEqual([1, 9, 17, 20]);
    expect(keepWidths(17, 8, 'one-plus')).toEqual([1, 9, 17]);
    expect(keepWidths(1, 8, 'one-plus')).toEqual([1]);
    expect(() => keepWidths(8, 0)).toThrowError(/"step" must be an integer ≥ 1/);
  });

  it('values a width by the sum of the k largest scores', () => {
    expect(Array.from(topKValues(Float32Array.of(0.25, 1, 0.5), [1, 2, 3]))).toEqual([1, 1.5, 1.75]);
  });
});
