import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '@whittle/graph';
import type { WhittleError } from '@whittle/kernel';
import { buildResNet } from '@whittle/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepWidths } from '../../src/knapsack/keep-widths.js';
import { pruneToLatencyBudget } from '../../src/prune/prune-to-latency-budget.js';
import { spLampScores } from '../../src/score/sp-lamp-scores.js';
import type { ScoredGroup } from '../../src/knapsack/latency-knapsack-solver.js';
import { macLatency } from '../helpers/mac-latency.js';
import { withoutLeaks } from '@whittle/testing';

let model: tf.LayersModel;
let groups: ScoredGroup[];

beforeAll(async () => {
  await tf.setBackend('wasm');
  model = buildResNet({ depth: 20, width: 8, inputShape: [16, 16, 3], numClasses: 10, seed: 2 });
  groups = [...(await spLampScores(model))].map(([id, scores]) => ({ id, scores }));
});
afterAll(() => model.dispose());

const widthsOf = (m: tf.LayersModel): Map<string, number> => new Map(dependencyGroups(m).map((g) => [g.id, g.channels]));

describe('pruneToLatencyBudget', () => {
  it('prunes a ResNet-20 so that its predicted latency is within the budget, keeping the highest-score channels', async () => {
    const latency = macLatency(model, 1e-5, 0.3);
    for (const budgetFraction of [0.8, 0.5, 0.3]) {
      await withoutLeaks(async () => {
        const { model: pruned, budgetMs, result, plan } = await pruneToLatencyBudget(model, groups, latency, { budgetFraction, step: 2 });
        expect(budgetMs).toBeCloseTo(budgetFraction * latency.predict(new Map()), 12);
        expect(result.predictedMs).toBeLessThanOrEqual(budgetMs);
        // The built model has exactly the chosen widths, so the prediction is about the model returned.
        const widths = widthsOf(pruned);
        for (const g of groups) {
          expect(widths.get(g.id), g.id).toBe(result.widths.get(g.id));
          expect(keepWidths(g.scores.length, 2)).toContain(result.widths.get(g.id));
        }
        expect(latency.predict(widths)).toBeCloseTo(result.predictedMs, 12);
        // Removed channels are the lowest-scoring ones of their group.
        for (const [id, removed] of plan) {
          const scores = groups.find((g) => g.id === id)!.scores;
          const keptMin = Math.min(...Array.from(scores).filter((_, c) => !removed.includes(c)));
          for (const c of removed) expect(scores[c]).toBeLessThanOrEqual(keptMin);
        }
        const y = tf.tidy(() => (pruned.predict(tf.ones([1, 16, 16, 3])) as tf.Tensor).sum().dataSync()[0]);
        expect(y).toBeCloseTo(1, 4);
        pruned.dispose();
      });
    }
  });

  it('returns the model itself when the budget allows the unpruned latency', async () => {
    const latency = macLatency(model, 1e-5, 0.3);
    const { model: same, plan } = await pruneToLatencyBudget(model, groups, latency, { budgetFraction: 1, step: 2 });
    expect(same).toBe(model);
    expect(plan.size).toBe(0);
  });

  it('refuses a budget below the smallest reachable latency and a missing or double budget', async () => {
    const latency = macLatency(model, 1e-5, 0.3);
    await expect(pruneToLatencyBudget(model, groups, latency, { budgetMs: 0.31, step: 2 })).rejects.toMatchObject({ code: 'SP_LAMP_BUDGET_INFEASIBLE' });
    await expect(pruneToLatencyBudget(model, groups, latency, { step: 2 })).rejects.toMatchObject({ code: 'SP_LAMP_BAD_BUDGET' });
    const both = pruneToLatencyBudget(model, groups, latency, { budgetMs: 1, budgetFraction: 0.5, step: 2 });
    await expect(both).rejects.toThrowError(/exactly one of options "budgetMs" and "budgetFraction"/);
    await both.catch((error: WhittleError) => expect(error.kind).toBe('input'));
  });
});
