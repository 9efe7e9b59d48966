import { SeededRng } from '@whittle/kernel';
import { it } from 'vitest';
import { keepWidths, topKValues } from '../../src/knapsack/keep-widths.js';
import { solveLatencyKnapsack, type ScoredGroup } from '../../src/knapsack/latency-knapsack-solver.js';
import type { LatencyModel } from '../../src/latency/latency-model.js';
import { forEachPick } from '../helpers/brute-force.js';

function chainLatency(groups: readonly ScoredGroup[], rates: readonly number[], fixedMs: number): LatencyModel {
  return { predict: (widths) => { let ms = fixedMs; let cin = 3; groups.forEach((g, l) => { const cout = widths.get(g.id) ?? g.scores.length; ms += rates[l]! * cin * cout; cin = cout; }); return ms; } };
}
function randomGroups(rng: SeededRng, count: number, maxChannels: number): ScoredGroup[] {
  return Array.from({ length: count }, (_, i) => ({ id: `g${i}`, scores: Float32Array.from({ length: 2 + rng.int(maxChannels - 1) }, () => rng.next()) }));
}
function bruteForce(groups: readonly ScoredGroup[], latency: LatencyModel, step: number, budgetMs: number): { v: number; w: number[] } {
  const widths = groups.map((g) => keepWidths(g.scores.length, step));
  const values = groups.map((g, i) => topKValues(g.scores, widths[i]!));
  let best = -Infinity; let bw: number[] = [];
  forEachPick(widths.map((w) => w.length), (choices) => {
    const ms = latency.predict(new Map(groups.map((g, i) => [g.id, widths[i]![choices[i]!]!])));
    const value = choices.reduce((s, j, i) => s + values[i]![j]!, 0);
    if (ms <= budgetMs && value > best) { best = value; bw = choices.map((j, i) => widths[i]![j]!); }
  });
  return { v: best, w: bw };
}
it('diag', () => {
  const rng = SeededRng.from(5, 'chain');
  const gaps: number[] = [];
  for (let trial = 0; trial < 400; trial++) {
    const groups = randomGroups(rng, 2 + rng.int(3), 14);
    const latency = chainLatency(groups, groups.map(() => 0.001 + rng.next() * 0.01), 0.2);
    const step = 1 + rng.int(3);
    const full = latency.predict(new Map());
    const floor = latency.predict(new Map(groups.map((g) => [g.id, 1])));
    const budgetMs = floor + (full - floor) * (0.1 + 0.8 * rng.next());
    const r = solveLatencyKnapsack(groups, latency, { budgetMs, step });
    const o = bruteForce(groups, latency, step, budgetMs);
    const gap = 1 - r.value / o.v;
    gaps.push(gap);
    if (gap > 0.02) console.log(trial, gap.toFixed(3), 'frac', ((budgetMs - floor) / (full - floor)).toFixed(2), 'got', [...r.widths.values()].join(','), 'opt', o.w.join(','), 'n', groups.map((g) => g.scores.length).join(','), 'rounds', r.rounds.map((x) => `${x.linearisedMs.toFixed(3)}/${x.predictedMs.toFixed(3)}`).join(' '), 'budget', budgetMs.toFixed(3), 'conv', r.converged, r.repairSteps, r.topUpSteps);
  }
  gaps.sort((a, b) => a - b);
  console.log('median', gaps[200], "p90", gaps[360], "p99", gaps[396], "max", gaps[399], "exact", gaps.filter((g) => g < 1e-9).length);
});
