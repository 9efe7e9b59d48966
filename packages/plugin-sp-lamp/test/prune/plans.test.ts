import { SeededRng } from '@whittle/kernel';
import { describe, expect, it } from 'vitest';
import { globalLampPlan } from '../../src/prune/global-lamp-plan.js';
import { ascendingByScore, lowestScorePlan } from '../../src/prune/lowest-score-plan.js';

describe('lowestScorePlan', () => {
  it('removes the lowest-score channels of each group down to its width, ties keeping the earlier channel', () => {
    const scores = new Map([['a', Float32Array.of(0.2, 1, 0.1, 0.5)], ['b', Float32Array.of(0.3, 0.3, 1)]]);
    expect(lowestScorePlan(scores, new Map([['a', 2], ['b', 2]]))).toEqual(new Map([['a', [0, 2]], ['b', [1]]]));
    expect(lowestScorePlan(scores, new Map([['a', 4]]))).toEqual(new Map());
    expect(ascendingByScore(Float32Array.of(0.5, 0.1, 1))).toEqual([1, 0, 2]);
    expect(() => lowestScorePlan(scores, new Map([['a', 0]]))).toThrowError(/width 0 for group "a" is outside 1 … 4/);
    expect(() => lowestScorePlan(scores, new Map([['c', 1]]))).toThrowError(/no scores for group "c"/);
  });
});

describe('globalLampPlan', () => {
  it('removes the globally lowest scores, round(ratio · N) of them, never a group\'s last channel', () => {
    const rng = SeededRng.from(8, 'global-lamp');
    for (let trial = 0; trial < 100; trial++) {
      const scores = new Map<string, Float32Array>(Array.from({ length: 1 + rng.int(5) }, (_, g) => [`g${g}`, Float32Array.from({ length: 1 + rng.int(10) }, () => rng.next())]));
      const total = [...scores.values()].reduce((s, x) => s + x.length, 0);
      const ratio = rng.next() * 0.99;
      const plan = globalLampPlan(scores, ratio);
      const removable = total - scores.size;
      const removed = [...plan.values()].reduce((s, x) => s + x.length, 0);
      expect(removed).toBe(Math.min(Math.round(ratio * total), removable));
      for (const [id, list] of plan) expect(list.length).toBeLessThan(scores.get(id)!.length);
      // Every removed channel scores no higher than every kept channel of a group that could still lose one.
      const keptFree = [...scores].flatMap(([id, s]) => (s.length - (plan.get(id)?.length ?? 0) > 1 ? Array.from(s).filter((_, c) => !plan.get(id)?.includes(c)) : []));
      const removedScores = [...plan].flatMap(([id, list]) => list.map((c) => scores.get(id)![c]!));
      if (keptFree.length > 0 && removedScores.length > 0) expect(Math.max(...removedScores)).toBeLessThanOrEqual(Math.min(...keptFree));
    }
  });

  it('refuses a ratio outside [0, 1)', () => {
    expect(() => globalLampPlan(new Map([['a', Float32Array.of(1)]]), 1)).toThrowError(/option "ratio" must be in \[0, 1\)/);
  });
});
