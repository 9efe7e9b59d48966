import * as tf from '@tensorflow/tfjs';
import { haarDwt } from './haar-dwt.js';

/** Mean absolute error per Haar band between two image batches: `ll` (coarsest), and each detail band summed over levels. */
export interface BandErrors {
  /** L1 of the coarsest approximation band. */
  readonly ll: number;
  /** L1 of the detail bands: mean over LH, HL and HH of each level, averaged over the levels. */
  readonly high: number;
  /** Per level (finest first): mean L1 over that level's LH, HL and HH. */
  readonly perLevel: readonly number[];
}

/** Running sums of per-band absolute errors over batches (for `bandErrorsOf` and the band-error metric). */
export class BandErrorAccumulator {
  private ll = 0;
  private readonly levelSums: number[];
  private count = 0;

  constructor(readonly levels: number) {
    this.levelSums = new Array<number>(levels).fill(0);
  }

  /** Adds one batch of images and their targets ([n, h, w, c] each). */
  add(images: tf.Tensor4D, targets: tf.Tensor4D): void {
    const n = images.shape[0];
    const sums = tf.tidy(() => {
      const a = haarDwt(images, this.levels);
      const b = haarDwt(targets, this.levels);
      return [meanAbs(a.low, b.low), ...a.high.map((bands, j) => {
        const other = b.high[j]!;
        return tf.stack([meanAbs(bands.lh, other.lh), meanAbs(bands.hl, other.hl), meanAbs(bands.hh, other.hh)]).mean();
      })].map((t) => t.mul(n));
    });
    const values = sums.map((t) => t.dataSync()[0] ?? 0);
    tf.dispose(sums);
    this.ll += values[0] ?? 0;
    for (let j = 0; j < this.levels; j++) this.levelSums[j] = (this.levelSums[j] ?? 0) + (values[j + 1] ?? 0);
    this.count += n;
  }

  /** The mean errors over every image added. */
  result(): BandErrors {
    const perLevel = this.levelSums.map((s) => s / Math.max(this.count, 1));
    return { ll: this.ll / Math.max(this.count, 1), high: perLevel.reduce((a, b) => a + b, 0) / Math.max(perLevel.length, 1), perLevel };
  }
}

function meanAbs(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return a.sub(b).abs().mean();
}

/**
 * Per-band L1 error of images against targets, the frequency analysis of the WKD paper: a model that
 * misses high-frequency detail has a larger `high` error at a similar `ll` error.
 *
 * ```ts
 * const e = bandErrorsOf(generated, targets, 3); // { ll, high, perLevel: [16×16, 8×8, 4×4 levels] }
 * ```
 */
export function bandErrorsOf(images: tf.Tensor4D, targets: tf.Tensor4D, levels: number): BandErrors {
  const accumulator = new BandErrorAccumulator(levels);
  accumulator.add(images, targets);
  return accumulator.result();
}

