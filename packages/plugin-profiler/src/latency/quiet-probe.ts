import type { LayerSignature } from '@whittle/graph';
import type { LatencyClock } from './latency-table.js';
import { measureSignature } from './measure-signature.js';

/** How a `QuietProbe` times its reference op. */
export interface QuietProbeOptions {
  readonly clock: LatencyClock;
  /** Which statistic of its timed loops a sample is. */
  readonly statistic: 'median' | 'p10';
  readonly minLoopMs: number;
  /** Timed loops per sample. Default 5. */
  readonly runs?: number;
  /** A sample is quiet when it is at most this factor above the fastest sample so far. Default 1.15. */
  readonly tolerance?: number;
}

/**
 * Times one reference op (the model's largest conv) now and then, to tell quiet stretches of the
 * machine from busy ones. On a shared machine the busy stretches can last seconds and slow some
 * ops and not others (a job on the sibling hyperthread slowed every conv 1.8× here and left
 * BatchNorm and ReLU alone), so taking the lowest of a few rounds is not enough: measurements made
 * while the probe was slow are measured again (see `measureTable`).
 *
 * ```ts
 * const probe = new QuietProbe(signature, { clock: 'wall', statistic: 'median', minLoopMs: 1 });
 * const level = await probe.sample();
 * probe.isQuiet(level); // true: the fastest sample so far is this one
 * ```
 */
export class QuietProbe {
  private fastest = Number.POSITIVE_INFINITY;
  private count = 0;

  constructor(
    readonly signature: LayerSignature,
    private readonly options: QuietProbeOptions,
  ) {}

  /** Times the reference op once more; returns the sample (ms). */
  async sample(): Promise<number> {
    const entry = await measureSignature(this.signature, { warmup: 1, runs: this.options.runs ?? 5, clock: this.options.clock, minLoopMs: this.options.minLoopMs });
    const ms = this.options.statistic === 'p10' ? entry.p10 : entry.ms;
    this.fastest = Math.min(this.fastest, ms);
    this.count++;
    return ms;
  }

  /** Samples taken. */
  get samples(): number {
    return this.count;
  }

  /** The fastest sample so far (Infinity before the first). */
  get fastestMs(): number {
    return this.fastest;
  }

  /** Whether a sample (or the larger of the samples around a measurement) was taken while the machine was quiet. */
  isQuiet(levelMs: number): boolean {
    return levelMs <= this.fastest * (this.options.tolerance ?? 1.15);
  }
}
