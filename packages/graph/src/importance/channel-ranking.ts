/**
 * Whittle's one tie rule for pruning by score: channels go from least to most important by
 * ascending score, and on equal scores the LATER channel goes first, so a tie keeps the earlier
 * channel (deterministic, and the same in every pruner: `uniform`, `global`/`globalScorePlan`, SP-LAMP's width plans).
 *
 * ```ts
 * leastImportantFirst(Float32Array.of(0.5, 0.1, 1, 0.1)); // [3, 1, 0, 2]
 * ```
 */
export function leastImportantFirst(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, c) => c).sort((a, b) => (scores[a] as number) - (scores[b] as number) || b - a);
}

/**
 * The `count` least important channels of one group (`leastImportantFirst`), ascending by index.
 *
 * ```ts
 * lowestChannels(Float32Array.of(3, 1, 1, 0, 2), 2); // [2, 3]: on the tie at 1, channel 2 goes and channel 1 stays
 * ```
 */
export function lowestChannels(scores: ArrayLike<number>, count: number): number[] {
  return leastImportantFirst(scores).slice(0, count).sort((a, b) => a - b);
}
