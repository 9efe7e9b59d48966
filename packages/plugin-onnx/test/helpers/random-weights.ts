import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';

/**
 * Gives every weight seeded random values that make each layer matter (non-zero biases and BN
 * statistics), so that a wrong slice anywhere changes the outputs.
 */
export function randomiseWeights(model: tf.LayersModel, seed: number): void {
  const rng = SeededRng.from(seed, 'weights');
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = tf.tidy(() => layer.weights.map((w) => {
      const shape = w.shape as number[];
      const s = rng.int32();
      const name = w.originalName;
      if (name.endsWith('/moving_variance')) return tf.randomUniform(shape, 0.5, 1.5, 'float32', s);
      if (name.endsWith('/gamma')) return tf.randomUniform(shape, 0.5, 1.5, 'float32', s);
      if (name.endsWith('/beta') || name.endsWith('/moving_mean') || name.endsWith('/bias')) return tf.randomUniform(shape, -0.5, 0.5, 'float32', s);
      const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const limit = Math.sqrt(3 / Math.max(1, fanIn));
      return tf.randomUniform(shape, -limit, limit, 'float32', s);
    }));
    layer.setWeights(values);
    tf.dispose(values);
  }
}
