import type * as tf from '@tensorflow/tfjs';

/** Every weight of a model as plain arrays (creates no tensors). */
export function weightValues(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** Whether two weight lists are element-wise identical. */
export function sameWeights(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return a.length === b.length && a.every((w, i) => {
    const v = b[i] as Float32Array;
    return w.length === v.length && w.every((x, j) => x === v[j]);
  });
}
