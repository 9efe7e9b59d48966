import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, groupCosts, pruneChannels } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';
import { randomInputs, relativeError } from './helpers/compare-outputs.js';
import { formulaCosts } from './helpers/formula-costs.js';
import { randomPlan } from './helpers/random-plan.js';
import { randomTopology } from './helpers/random-topology.js';
import { randomiseWeights } from './helpers/random-weights.js';
import { referenceWithoutChannels } from './helpers/reference-model.js';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

describe('pruneChannels on seeded random topologies', () => {
  beforeAll(useWasm);

  it.each(SEEDS)('seed %i: pruned = original with the channels\' contributions removed; params match formulas; no leaks', async (seed) => {
    let prunedGroups = 0;
    const leaked = await leakedBy(async () => {
      const model = randomTopology(seed);
      randomiseWeights(model, seed);
      const groups = dependencyGroups(model);
      const plan = randomPlan(groups, seed);
      prunedGroups = plan.size;
      const pruned = await pruneChannels(model, plan);
      const reference = await referenceWithoutChannels(model, groups, plan);
      const identical = await pruneChannels(model, new Map());
      const inputs = randomInputs(model, seed);
      try {
        expect(relativeError(pruned, reference, inputs)).toBeLessThanOrEqual(1e-4);
        expect(relativeError(identical, model, inputs)).toBe(0);
        const formula = formulaCosts(pruned);
        expect(pruned.countParams()).toBe(formula.params);
        if (plan.size > 0) expect(formula.params).toBeLessThan(model.countParams());
      } finally {
        tf.dispose(inputs);
        for (const m of [model, pruned, reference, identical]) m.dispose();
      }
    });
    expect(leaked).toBe(0);
    expect(prunedGroups).toBeGreaterThanOrEqual(0);
  });

  it('prunes something in most random topologies (the property above is not vacuous)', () => {
    const pruned = SEEDS.filter((seed) => {
      const model = randomTopology(seed);
      const plan = randomPlan(dependencyGroups(model), seed);
      model.dispose();
      return plan.size > 0;
    });
    expect(pruned.length).toBeGreaterThanOrEqual(0.8 * SEEDS.length);
  });

  it.each([3, 7, 11])('seed %i: groupCosts is exactly what removing one channel saves', async (seed) => {
    const model = randomTopology(seed);
    const costs = groupCosts(model);
    const groups = dependencyGroups(model).filter((g) => g.prunable && g.channels >= 2 && g.members.every((m) => m.span === undefined));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      const pruned = await pruneChannels(model, new Map([[group.id, [group.channels - 1]]]));
      const cost = costs.find((c) => c.group === group.id);
      expect(cost?.params).toBe(model.countParams() - pruned.countParams());
      expect(cost?.macs).toBe(formulaCosts(model).macs - formulaCosts(pruned).macs);
      pruned.dispose();
    }
    model.dispose();
  });
});
