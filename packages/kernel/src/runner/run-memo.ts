import type * as tf from '@tensorflow/tfjs';
import type { TensorMemo } from '../hooks/tensor-memo.js';

/**
 * Tensors derived from a run's fixed inputs (its teacher, its data), computed once and shared by
 * every stage that asks for the same thing — e.g. the teacher's logits on the training split, which
 * each `kd` stage of a progressive pipeline would otherwise recompute. Entries are keyed by the
 * identity of the objects they derive from plus a name, so a different teacher or dataset never
 * reads another's entry. The memo owns what it holds: callers must not dispose it; `dispose()` frees
 * everything (the runner calls it when the run ends).
 *
 * ```ts
 * const logits = call.ctx.memo.get([teacher, train.x], 'teacher logits', () => teacher.predict(train.x) as tf.Tensor);
 * ```
 */
export class RunMemo implements TensorMemo {
  private readonly entries = new Map<string, tf.Tensor>();
  // Ids by object identity, never reused: an entry of a collected object can never match again.
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  /** Whether a tensor is stored for `from` and `name`. */
  has(from: readonly object[], name: string): boolean {
    return this.entries.has(this.keyOf(from, name));
  }

  /** The tensor stored for `from` and `name`, made by `make` (and kept) the first time. */
  get<T extends tf.Tensor>(from: readonly object[], name: string, make: () => T): T {
    const key = this.keyOf(from, name);
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit as T;
    const value = make();
    this.entries.set(key, value);
    return value;
  }

  /** How many tensors the memo holds. */
  get size(): number {
    return this.entries.size;
  }

  /** Frees every tensor held. */
  dispose(): void {
    for (const value of this.entries.values()) value.dispose();
    this.entries.clear();
  }

  private keyOf(from: readonly object[], name: string): string {
    return `${name}|${from.map((o) => this.idOf(o)).join(',')}`;
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }
}
