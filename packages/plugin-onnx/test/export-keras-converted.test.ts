import * as tf from '@tensorflow/tfjs';
import { kerasInceptionV3Artifacts, kerasMobileNetV2Artifacts } from '@whittle/zoo';
import { leakedBy, loadNsfwjsModel, useWasm } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortMatch } from './helpers/ort-match.js';

const CASES: [string, () => Promise<tf.LayersModel>][] = [
  ['nsfwjs MobileNetV2 224 (Keras 2.2.4, trained weights)', () => loadNsfwjsModel('mobilenet_v2')],
  ['nsfwjs InceptionV3 299 (Keras 2.2.4, trained weights)', () => loadNsfwjsModel('inception_v3')],
  ['Keras MobileNetV2 224 topology (tf.keras 1.15, zoo, seeded weights)', () => tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts(0)))],
  ['Keras InceptionV3 299 topology (Keras 2.4, zoo, seeded weights)', () => tf.loadLayersModel(tf.io.fromMemory(kerasInceptionV3Artifacts(0)))],
];

describe('ONNX export of real Keras-converted models', () => {
  beforeAll(useWasm);

  it.each(CASES)('%s: ONNX Runtime matches tfjs to 1e-4, BatchNorms folded, no leaks', async (_name, load) => {
    const leaked = await leakedBy(async () => {
      const model = await load();
      try {
        const { check, exported } = await ortMatch(model, 11, 1);
        expect(check.relativeError).toBeLessThanOrEqual(1e-4);
        expect(exported.foldedBatchNorms).toBe(model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length);
      } finally {
        model.dispose();
      }
    });
    expect(leaked).toBe(0);
  }, 120_000);
});
