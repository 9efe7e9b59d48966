import * as tf from '@tensorflow/tfjs';
import {
  buildInceptionStyle, buildMobileNetV2Style, buildPatchGanDiscriminator, buildPix2PixGenerator, buildResNet,
  buildSmallCnn, buildUNet, buildVggSmall,
} from '@whittle/zoo';
import { leakedBy, useWasm } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortMatch } from './helpers/ort-match.js';
import { randomiseWeights } from './helpers/random-weights.js';

const ZOO: [string, () => tf.LayersModel][] = [
  ['small CNN', () => buildSmallCnn({ inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['ResNet-20', () => buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 4, width: 8, seed: 1 })],
  ['VGG-small', () => buildVggSmall({ inputShape: [16, 16, 3], numClasses: 4, width: 4, denseUnits: 16, seed: 1 })],
  ['MobileNetV2-style', () => buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 4, alpha: 0.25, seed: 1 })],
  ['Inception-style', () => buildInceptionStyle({ inputShape: [16, 16, 3], numClasses: 4, width: 4, seed: 1 })],
  ['U-Net', () => buildUNet({ inputShape: [16, 16, 1], outChannels: 2, width: 4, depth: 2, seed: 1 })],
  ['pix2pix generator', () => buildPix2PixGenerator({ inputShape: [32, 32, 3], width: 4, seed: 1 })],
  ['pix2pix discriminator', () => buildPatchGanDiscriminator({ inputShape: [32, 32, 3], width: 4, seed: 1 })],
];

describe('ONNX export of every zoo model', () => {
  beforeAll(useWasm);

  it.each(ZOO)('%s: ONNX Runtime matches tfjs to 1e-4 (batch 2, dynamic batch), no leaks', async (_name, build) => {
    const leaked = await leakedBy(async () => {
      const model = build();
      randomiseWeights(model, 7);
      try {
        const { check, exported } = await ortMatch(model, 3, 2);
        expect(check.relativeError).toBeLessThanOrEqual(1e-4);
        expect(exported.inputs[0]?.shape[0]).toBeNull();
        const bnLayers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length;
        // Every BN that follows a conv whose output nothing else reads is folded away.
        if (bnLayers > 0) expect(exported.foldedBatchNorms).toBeGreaterThan(0);
        expect(exported.opCounts['BatchNormalization']).toBeUndefined();
      } finally {
        model.dispose();
      }
    });
    expect(leaked).toBe(0);
  });
});
