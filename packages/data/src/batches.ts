import * as tf from '@tensorflow/tfjs';
import { inputError, type LabeledTensors, type SeededRng } from '@whittle/kernel';

/**
 * One epoch of mini-batches over `data`: every example exactly once, the last batch possibly smaller.
 * With `rng`, the order is a fresh seeded permutation for each call (call once per epoch with the same
 * rng for a different, reproducible order each epoch); without it, file order. Batches are new
 * tensors: the caller disposes each one (leaving the loop early leaks nothing, since batches are
 * made on demand).
 *
 * ```ts
 * for (const batch of batches(splits.train, 32, rng)) {
 *   await model.trainOnBatch(batch.x, batch.y);
 *   tf.dispose([batch.x, batch.y]);
 * }
 * ```
 */
export function* batches(data: LabeledTensors, batchSize: number, rng?: SeededRng): Generator<LabeledTensors> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw inputError('BAD_BATCH_SIZE', `batches: batchSize must be a positive integer, got ${batchSize}`, 'Use e.g. 32.');
  }
  const n = data.x.shape[0];
  const order = rng?.permutation(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    if (order === undefined) {
      yield { x: data.x.slice(start, size), y: data.y.slice(start, size) };
    } else {
      yield tf.tidy(() => {
        const indices = tf.tensor1d(order.subarray(start, start + size), 'int32');
        return { x: tf.gather(data.x, indices), y: tf.gather(data.y, indices) };
      });
    }
  }
}
