import seedrandom from 'seedrandom';

/**
 * A seeded source of randomness. Each stage of a run gets its own stream, derived from the run's
 * seed and the stage index, so that `--resume` reproduces exactly the numbers of an uninterrupted run.
 *
 * ```ts
 * const rng = SeededRng.from(42, 'stage-3');
 * rng.next();             // uniform in [0, 1)
 * rng.shuffle([1, 2, 3]); // a new, shuffled array
 * ```
 */
export class SeededRng {
  private constructor(
    private readonly prng: seedrandom.PRNG,
    readonly seed: string,
  ) {}

  static from(seed: number | string, stream = ''): SeededRng {
    const key = stream === '' ? String(seed) : `${seed}:${stream}`;
    return new SeededRng(seedrandom(key), key);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng.quick();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A 31-bit integer, for APIs that take a numeric seed (tfjs initialisers, `tf.randomNormal`). */
  int32(): number {
    return this.prng.int32() >>> 1;
  }

  /** A derived, independent stream. */
  fork(stream: string): SeededRng {
    return SeededRng.from(this.seed, stream);
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** A shuffled permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }
}
