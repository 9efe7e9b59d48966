import * as tf from '@tensorflow/tfjs';
import { dependencyGroups, pruneChannels, pruningPlan, randomImportance } from '@whittle/graph';
import { SeededRng } from '@whittle/kernel';
import { buildMobileNetV2Style, buildResNet } from '@whittle/zoo';
import { leakedBy, useWasm } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortMatch } from './helpers/ort-match.js';
import { randomTopology } from './helpers/random-topology.js';
import { randomiseWeights } from './helpers/random-weights.js';

const CASES: [string, () => tf.LayersModel][] = [
  ['ResNet-20', () => buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['MobileNetV2-style', () => buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 4, alpha: 0.5, seed: 1 })],
  ['random topology 3', () => randomTopology(3)],
  ['random topology 8', () => randomTopology(8)],
];

describe('ONNX export of channel-pruned models', () => {
  beforeAll(useWasm);

  it.each(CASES)('%s pruned by 40 percent (random scores): ONNX Runtime matches tfjs to 1e-4, no leaks', async (_name, build) => {
    const leaked = await leakedBy(async () => {
      const model = build();
      randomiseWeights(model, 5);
      const groups = dependencyGroups(model).filter((g) => g.prunable);
      const { plan } = pruningPlan(randomImportance(groups, SeededRng.from(5, 'scores')), { kind: 'global-ratio', ratio: 0.4 });
      expect(plan.size).toBeGreaterThan(0);
      const pruned = await pruneChannels(model, plan);
      try {
        expect(pruned.countParams()).toBeLessThan(model.countParams());
        const { check } = await ortMatch(pruned, 9, 2);
        expect(check.relativeError).toBeLessThanOrEqual(1e-4);
      } finally {
        model.dispose();
        pruned.dispose();
      }
    });
    expect(leaked).toBe(0);
  });
});
