/** Indices of the `count` lowest-scoring channels, ascending (ties broken by index, so the result is deterministic). */
export function lowestChannels(scores: Float32Array, count: number): number[] {
  return [...scores.keys()].sort((a, b) => scores[a]! - scores[b]! || a - b).slice(0, count).sort((a, b) => a - b);
}
