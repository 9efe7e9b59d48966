import { SeededRng } from '@whittle/kernel';
import { describe, expect, it } from 'vitest';
import { pruningPlan, uniformKeep } from '../src/index.js';

const remove = (scores: Float32Array, count: number): number[] => pruningPlan(new Map([['g', scores]]), { kind: 'widths', widths: new Map([['g', scores.length - count]]) }).plan.get('g') ?? [];

describe('one tie rule for every pruner', () => {
  it('on equal scores the later channel goes first, so a tie keeps the earlier channel', () => {
    expect(remove(Float32Array.of(3, 1, 1, 0, 2), 2)).toEqual([2, 3]);
    expect(remove(Float32Array.of(3, 1, 1, 0, 2), 3)).toEqual([1, 2, 3]);
    expect(remove(Float32Array.of(1, 1, 1, 1), 3)).toEqual([1, 2, 3]);
  });

  it('a global plan removes the same channels as a per-group one inside one group', () => {
    const scores = Float32Array.of(0.3, 0.2, 0.2, 0.9, 0.2);
    expect(pruningPlan(new Map([['g', scores]]), { kind: 'global-ratio', ratio: 0.4 }).plan.get('g')).toEqual(remove(scores, 2));
  });

  it('across groups, a tie takes the earlier group\'s channel first', () => {
    const scores = new Map([['a', Float32Array.of(0.5, 1)], ['b', Float32Array.of(1, 0.5)]]);
    expect(pruningPlan(scores, { kind: 'global-count', channels: 1 }).plan).toEqual(new Map([['a', [0]]]));
  });
});

describe('pruningPlan by widths (a knapsack\'s choice)', () => {
  it('removes the lowest-score channels of each group down to its width; unnamed and full groups are left out', () => {
    const scores = new Map([['a', Float32Array.of(0.2, 1, 0.1, 0.5)], ['b', Float32Array.of(0.3, 0.3, 1)]]);
    const { plan, keep } = pruningPlan(scores, { kind: 'widths', widths: new Map([['a', 2], ['b', 2]]) });
    expect(plan).toEqual(new Map([['a', [0, 2]], ['b', [1]]]));
    expect(keep).toEqual(new Map([['a', [1, 3]], ['b', [0, 2]]]));
    expect(pruningPlan(scores, { kind: 'widths', widths: new Map([['a', 4]]) }).plan).toEqual(new Map());
    expect(() => pruningPlan(scores, { kind: 'widths', widths: new Map([['a', 0]]) })).toThrowError(/width 0 for group "a" is outside 1 … 4/);
    expect(() => pruningPlan(scores, { kind: 'widths', widths: new Map([['c', 1]]) })).toThrowError(expect.objectContaining({ code: 'PRUNE_NO_SCORES', message: expect.stringContaining('no scores for group "c"') }));
  });
});

describe('pruningPlan, local against global', () => {
  const scores = new Map([['small', Float32Array.of(0.01, 0.02, 0.03, 0.04)], ['large', Float32Array.of(5, 6, 7, 8)]]);

  it('local: every group loses its own share, whatever the other groups score', () => {
    const { plan, removed, target } = pruningPlan(scores, { kind: 'local-ratio', ratio: 0.5 });
    expect(plan).toEqual(new Map([['small', [0, 1]], ['large', [0, 1]]]));
    expect([removed, target]).toEqual([4, 4]);
    expect(pruningPlan(new Map([['g', new Float32Array(16)]]), { kind: 'local-ratio', ratio: 0.2, roundTo: 8 }).keep.get('g')).toHaveLength(uniformKeep(16, 0.2, 8));
  });

  it('global: the lowest scores anywhere go, so the low-scoring group loses all but its floor', () => {
    const { plan, removed, target } = pruningPlan(scores, { kind: 'global-ratio', ratio: 0.5 });
    // 4 to remove; "small" can lose only 3 (min 1 channel), so the 4th comes from "large".
    expect(plan).toEqual(new Map([['small', [0, 1, 2]], ['large', [0]]]));
    expect([removed, target]).toEqual([4, 4]);
  });

  it('keeps minChannels per group and says when the floors stop a global plan', () => {
    const { plan, removed, target } = pruningPlan(scores, { kind: 'global-ratio', ratio: 0.75 }, { minChannels: 2 });
    expect(plan).toEqual(new Map([['small', [0, 1]], ['large', [0, 1]]]));
    expect([removed, target]).toEqual([4, 6]);
    expect(pruningPlan(scores, { kind: 'local-ratio', ratio: 0.75 }, { minChannels: 2 }).keep.get('small')).toEqual([2, 3]);
    expect(() => pruningPlan(scores, { kind: 'widths', widths: new Map([['small', 1]]) }, { minChannels: 2 })).toThrowError(/width 1 for group "small" is outside 2 … 4/);
  });

  it('never empties a group: random global plans remove round(ratio · N) at most, lowest first', () => {
    const rng = SeededRng.from(8, 'global-lamp');
    for (let trial = 0; trial < 100; trial++) {
      const random = new Map<string, Float32Array>(Array.from({ length: 1 + rng.int(5) }, (_, g) => [`g${g}`, Float32Array.from({ length: 1 + rng.int(10) }, () => rng.next())]));
      const total = [...random.values()].reduce((s, x) => s + x.length, 0);
      const ratio = rng.next() * 0.99;
      const { plan } = pruningPlan(random, { kind: 'global-ratio', ratio });
      const removed = [...plan.values()].reduce((s, x) => s + x.length, 0);
      expect(removed).toBe(Math.min(Math.round(ratio * total), total - random.size));
      for (const [id, list] of plan) expect(list.length).toBeLessThan(random.get(id)!.length);
      // Every removed channel scores no higher than every kept channel of a group that could still lose one.
      const keptFree = [...random].flatMap(([id, s]) => (s.length - (plan.get(id)?.length ?? 0) > 1 ? Array.from(s).filter((_, c) => !plan.get(id)?.includes(c)) : []));
      const removedScores = [...plan].flatMap(([id, list]) => list.map((c) => random.get(id)![c]!));
      if (keptFree.length > 0 && removedScores.length > 0) expect(Math.max(...removedScores)).toBeLessThanOrEqual(Math.min(...keptFree));
    }
  });

  it('refuses a ratio outside [0, 1), a negative count and a floor below 1', () => {
    expect(() => pruningPlan(scores, { kind: 'global-ratio', ratio: 1 })).toThrowError(expect.objectContaining({ code: 'PRUNE_BAD_RATIO', message: expect.stringMatching(/must be in \[0, 1\), got 1/) }));
    expect(() => pruningPlan(scores, { kind: 'local-ratio', ratio: -0.1 })).toThrowError(/got -0.1/);
    expect(() => pruningPlan(scores, { kind: 'global-count', channels: -1 })).toThrowError(expect.objectContaining({ code: 'PRUNE_BAD_COUNT' }));
    expect(() => pruningPlan(scores, { kind: 'global-count', channels: 1 }, { minChannels: 0 })).toThrowError(expect.objectContaining({ code: 'PRUNE_BAD_MIN_CHANNELS' }));
  });
});
