import * as tf from '@tensorflow/tfjs';
import { saveModel } from '@whittle/model-io';
import { buildSmallCnn } from '@whittle/zoo';

/**
 * The zoo's small CNN (32×32×3, 10 classes) with seeded weights that look trained: BatchNorm stats
 * off their initial values (variance in [0.5, 1.5)), and a quarter of the first conv's kernel set to
 * exactly 0, as pruning leaves it.
 */
export function testModel(seed = 1): tf.LayersModel {
  const model = buildSmallCnn({ inputShape: [32, 32, 3], numClasses: 10, width: 8, seed });
  tf.tidy(() => {
    const values = model.weights.map((w, i) => {
      const shape = w.read().shape;
      if (w.originalName.endsWith('moving_variance')) return tf.randomUniform(shape, 0.5, 1.5, 'float32', seed + i);
      if (w.originalName.endsWith('moving_mean') || w.originalName.endsWith('beta')) return tf.randomUniform(shape, -0.2, 0.2, 'float32', seed + i);
      const value = w.read();
      return i === 0 ? tf.mul(value, tf.cast(tf.greater(tf.randomUniform(shape, 0, 1, 'float32', seed), 0.25), 'float32')) : value.clone();
    });
    model.setWeights(values);
  });
  return model;
}

/** Saves `model` as `dir/model.json` + `weights.bin` and returns the model.json path. */
export async function savedTestModel(dir: string, model: tf.LayersModel): Promise<string> {
  await saveModel(model, dir);
  return `${dir}/model.json`;
}
