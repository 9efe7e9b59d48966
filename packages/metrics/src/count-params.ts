import type * as tf from '@tensorflow/tfjs';

/**
 * Number of scalar weights in a model, trainable or not (BatchNorm moving statistics included).
 * A variable shared by several layers counts once.
 *
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
 * countParams(model); // 15
 * ```
 */
export function countParams(model: tf.LayersModel): number {
  const seen = new Set<number>();
  let total = 0;
  for (const weight of model.weights) {
    if (seen.has(weight.id)) continue;
    seen.add(weight.id);
    // A LayerVariable's shape is concrete; the type allows null only because it reuses `Shape`.
    total += weight.shape.reduce<number>((a, b) => a * (b ?? 0), 1);
  }
  return total;
}
