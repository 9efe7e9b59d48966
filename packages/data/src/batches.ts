import * as tf from '@tensorflow/tfjs';
import { inputError, type Examples, type SeededRng } from '@whittle/kernel';

/**
 * One epoch of mini-batches over `data` (its `x`, and `y` where it has one): every example exactly once, the last batch possibly smaller.
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
export function* batches<E extends Examples>(data: E, batchSize: number, rng?: SeededRng): Generator<E> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw inputError('BAD_BATCH_SIZE', `batches: batchSize must be a positive integer, got ${batchSize}`, 'Use e.g. 32.');
  }
  const n = data.x.shape[0] ?? 0;
  const order = rng?.permutation(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    if (order === undefined) {
      // A batch has the split's shape of examples: y where the split has y.
      yield { x: data.x.slice(start, size), ...(data.y === undefined ? {} : { y: data.y.slice(start, size) }) } as unknown as E;
    } else {
      yield tf.tidy(() => {
        const indices = tf.tensor1d(order.subarray(start, start + size), 'int32');
        return { x: tf.gather(data.x, indices), ...(data.y === undefined ? {} : { y: tf.gather(data.y, indices) }) };
      }) as unknown as E;
    }
  }
}
