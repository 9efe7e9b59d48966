import type { KnapsackGroup } from '../../src/knapsack/group-knapsack.js';

/** Every way to pick one item per group: `visit(choices)` for each (choices is reused; copy it to keep it). */
export function forEachPick(sizes: readonly number[], visit: (choices: readonly number[]) => void): void {
  const choices = sizes.map(() => 0);
  for (;;) {
    visit(choices);
    let i = 0;
    while (i < sizes.length && ++choices[i]! === sizes[i]) choices[i++] = 0;
    if (i === sizes.length) return;
  }
}

/** The best value of a group knapsack within `budget`, by enumeration; -Infinity when nothing fits. */
export function bruteForceKnapsack(groups: readonly KnapsackGroup[], budget: number, fixedCost = 0): number {
  let best = -Infinity;
  forEachPick(groups.map((g) => g.widths.length), (choices) => {
    let cost = fixedCost;
    let value = 0;
    choices.forEach((j, i) => {
      cost += groups[i]!.costs[j]!;
      value += groups[i]!.values[j]!;
    });
    if (cost <= budget && value > best) best = value;
  });
  return best;
}
