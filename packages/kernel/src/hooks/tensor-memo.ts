import type * as tf from '@tensorflow/tfjs';

/**
 * What a stage sees of the run's memo (`ctx.memo`, the runner's `RunMemo`): tensors derived from the
 * run's teacher and data, made once and owned by the run — callers never dispose them.
 *
 * ```ts
 * const logits = call.ctx.memo.get([teacher, train.x], 'teacher logits', () => teacher.predict(train.x) as tf.Tensor);
 * ```
 */
export interface TensorMemo {
  /** Whether a tensor is stored for `from` and `name`. */
  has(from: readonly object[], name: string): boolean;
  /** The tensor stored for `from` and `name`, made by `make` (and kept) the first time. */
  get<T extends tf.Tensor>(from: readonly object[], name: string, make: () => T): T;
  /** How many tensors the memo holds. */
  readonly size: number;
}
