import type { DependencyGroup } from '../channels/dependency-group.js';

/**
 * Seeded random importance (Torch-Pruning's `RandomImportance`), the baseline every criterion must
 * beat: one draw of `rng` per channel, group after group in the order given.
 *
 * ```ts
 * randomImportance(dependencyGroups(model).filter((g) => g.prunable), SeededRng.from(0, 'scores'));
 * ```
 */
export function randomImportance(groups: readonly DependencyGroup[], rng: { next(): number }): Map<string, Float32Array> {
  return new Map(groups.map((g) => [g.id, Float32Array.from({ length: g.channels }, () => rng.next())]));
}
