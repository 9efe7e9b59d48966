import * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '@whittle/model-io';
import type { TempDir } from '@whittle/testing';
import { buildDiffusionUNet } from '../../src/index.js';

/** A 8×8 two-level U-Net small enough for unit tests (attention at the 4×4 level and the middle). */
export function tinyUNet(seed = 1): tf.LayersModel {
  const model = buildDiffusionUNet({
    inputShape: [8, 8, 1], numClasses: 3, width: 8, channelMults: [1, 2], resBlocks: 1, attentionLevels: [1],
    heads: 2, contextTokens: 2, contextDim: 8, seed,
  });
  // One call first: tfjs caches a few constants the first time an op runs; they are not a test's leaks.
  tf.tidy(() => model.predict(unetInputs(1)));
  return model;
}

/** Inputs for a U-Net: noisy images, timesteps and one-hot labels of `n` examples. */
export function unetInputs(n: number, seed = 5): tf.Tensor[] {
  return [
    tf.randomNormal([n, 8, 8, 1], 0, 1, 'float32', seed),
    tf.tensor2d(Array.from({ length: n }, (_, i) => 100 * i + 7), [n, 1]),
    oneHotLabels(Array.from({ length: n }, (_, i) => i % 3), 3),
  ];
}

/** Saves `model` under `temp/<name>` and loads it back through @whittle/model-io. */
export async function roundTrip(model: tf.LayersModel, temp: TempDir, name: string): Promise<tf.LayersModel> {
  const dir = temp.path(name);
  await saveModel(model, dir);
  return loadModel(`${dir}/model.json`);
}

/** Largest absolute difference of two tensors. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** One-hot float labels [n, classes] (no intermediate tensors left behind). */
export function oneHotLabels(labels: readonly number[], classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d([...labels], 'int32'), classes).toFloat() as tf.Tensor2D);
}
