import * as tf from '@tensorflow/tfjs';
import {
  buildInceptionStyle, buildMobileNetV2Style, buildPatchGanDiscriminator, buildPix2PixGenerator, buildResNet,
  buildSmallCnn, buildUNet, buildVggSmall,
} from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, groupCosts, pruneChannels } from '../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';
import { randomInputs, relativeError } from './helpers/compare-outputs.js';
import { formulaCosts } from './helpers/formula-costs.js';
import { randomPlan } from './helpers/random-plan.js';
import { randomiseWeights } from './helpers/random-weights.js';
import { referenceWithoutChannels } from './helpers/reference-model.js';

const ZOO: [string, () => tf.LayersModel][] = [
  ['small CNN', () => buildSmallCnn({ inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['ResNet-20', () => buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['ResNet-56', () => buildResNet({ depth: 56, inputShape: [8, 8, 3], numClasses: 4, width: 4, seed: 1 })],
  ['VGG-small', () => buildVggSmall({ inputShape: [16, 16, 3], numClasses: 4, width: 4, denseUnits: 16, seed: 1 })],
  ['MobileNetV2-style', () => buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 4, alpha: 0.25, seed: 1 })],
  ['Inception-style', () => buildInceptionStyle({ inputShape: [16, 16, 3], numClasses: 4, width: 4, seed: 1 })],
  ['U-Net', () => buildUNet({ inputShape: [16, 16, 1], outChannels: 2, width: 4, depth: 2, seed: 1 })],
  ['pix2pix generator', () => buildPix2PixGenerator({ inputShape: [32, 32, 3], width: 4, seed: 1 })],
  ['pix2pix discriminator', () => buildPatchGanDiscriminator({ inputShape: [32, 32, 3], width: 4, seed: 1 })],
];

describe('pruneChannels on every zoo model', () => {
  beforeAll(useWasm);

  it.each(ZOO)('%s: pruned = original minus the removed channels, nothing = identical, params by formula, group costs exact, no leaks', async (_name, build) => {
    const leaked = await leakedBy(async () => {
      const model = build();
      randomiseWeights(model, 7);
      const groups = dependencyGroups(model);
      const plan = randomPlan(groups, 7, 0.9);
      expect(plan.size).toBeGreaterThan(0);
      const pruned = await pruneChannels(model, plan);
      const reference = await referenceWithoutChannels(model, groups, plan);
      const identical = await pruneChannels(model, new Map());
      const inputs = randomInputs(model, 3, 1);
      try {
        expect(relativeError(pruned, reference, inputs)).toBeLessThanOrEqual(1e-4);
        expect(relativeError(identical, model, inputs)).toBe(0);
        const formula = formulaCosts(pruned);
        expect(pruned.countParams()).toBe(formula.params);
        expect(formula.params).toBeLessThan(model.countParams());
        // One channel of the largest prunable group: groupCosts says exactly what it saves.
        const target = groups.filter((g) => g.prunable && g.members.every((m) => m.span === undefined)).sort((a, b) => b.channels - a.channels)[0];
        if (target !== undefined) {
          const single = await pruneChannels(model, new Map([[target.id, [0]]]));
          const [cost] = groupCosts(model, [target]);
          expect(cost?.params).toBe(model.countParams() - single.countParams());
          expect(cost?.macs).toBe(formulaCosts(model).macs - formulaCosts(single).macs);
          single.dispose();
        }
      } finally {
        tf.dispose(inputs);
        for (const m of [model, pruned, reference, identical]) m.dispose();
      }
    });
    expect(leaked).toBe(0);
  });
});
