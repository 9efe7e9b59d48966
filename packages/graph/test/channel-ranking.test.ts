import { describe, expect, it } from 'vitest';
import { globalScorePlan, leastImportantFirst, lowestChannels } from '../src/index.js';

describe('one tie rule for every pruner', () => {
  it('on equal scores the later channel goes first, so a tie keeps the earlier channel', () => {
    expect(leastImportantFirst(Float32Array.of(0.5, 0.1, 1, 0.1))).toEqual([3, 1, 0, 2]);
    expect(lowestChannels(Float32Array.of(3, 1, 1, 0, 2), 2)).toEqual([2, 3]);
    expect(lowestChannels(Float32Array.of(1, 1, 1, 1), 3)).toEqual([1, 2, 3]);
  });

  it('globalScorePlan removes the same channels as lowestChannels inside one group', () => {
    const scores = Float32Array.of(0.3, 0.2, 0.2, 0.9, 0.2);
    expect(globalScorePlan(new Map([['g', scores]]), 0.4).plan.get('g')).toEqual(lowestChannels(scores, 2));
  });
});
