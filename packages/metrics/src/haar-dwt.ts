import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';

/** The three detail bands of one Haar level, each [n, h/2, w/2, c]. */
export interface HaarDetailBands {
  /** Horizontal detail: top row minus bottom row of each 2×2 block (kernel ½·[[1, 1], [−1, −1]]). */
  readonly lh: tf.Tensor4D;
  /** Vertical detail: left column minus right column (kernel ½·[[1, −1], [1, −1]]). */
  readonly hl: tf.Tensor4D;
  /** Diagonal detail (kernel ½·[[1, −1], [−1, 1]]). */
  readonly hh: tf.Tensor4D;
}

/** A J-level Haar decomposition: `high[0]` is the finest level (h/2 × w/2), `low` the coarsest approximation (h/2^J). */
export interface HaarDecomposition {
  readonly low: tf.Tensor4D;
  readonly high: readonly HaarDetailBands[];
}

/** Band names in the order `haarLevel` splits them. */
export const HAAR_BANDS = ['ll', 'lh', 'hl', 'hh'] as const;
export type HaarBand = (typeof HAAR_BANDS)[number];

function checkImages(who: string, x: tf.Tensor, levels: number): void {
  if (x.rank !== 4) throw inputError('DWT_BAD_INPUT', `${who}: expects images [n, h, w, c], got shape ${JSON.stringify(x.shape)}`, 'Pass a rank-4 NHWC tensor.');
  if (!Number.isInteger(levels) || levels < 1) throw inputError('DWT_BAD_LEVELS', `${who}: levels must be a positive integer, got ${levels}`, 'Use e.g. 3 at 32×32.');
  const [, h, w] = x.shape as number[];
  const side = 2 ** levels;
  if ((h ?? 0) % side !== 0 || (w ?? 0) % side !== 0) {
    throw inputError('DWT_BAD_INPUT', `${who}: ${levels} Haar levels need height and width divisible by ${side}, got ${h}×${w}`,
      `Use at most ${Math.floor(Math.log2(gcdPowerOfTwo(h ?? 1, w ?? 1)))} levels, or pad the images.`);
  }
}

function gcdPowerOfTwo(a: number, b: number): number {
  let p = 1;
  while (a % (p * 2) === 0 && b % (p * 2) === 0) p *= 2;
  return p;
}

/**
 * One Haar analysis level of NHWC images with even sides: the orthonormal 2×2, stride-2 transform
 * that a depthwise conv with the kernels ½·[[1,1],[1,1]] (LL), ½·[[1,1],[−1,−1]] (LH), ½·[[1,−1],[1,−1]] (HL)
 * and ½·[[1,−1],[−1,1]] (HH) computes. It is written as reshape/transpose/add (ops every backend
 * differentiates, wasm included) rather than a depthwise conv, whose gradient stock wasm lacks.
 * Returns [ll, lh, hl, hh], each [n, h/2, w/2, c]. Orthonormal: energy is preserved.
 *
 * ```ts
 * const [ll, lh, hl, hh] = haarLevel(tf.ones([1, 4, 4, 1]));  // ll = 2 everywhere, the rest 0
 * ```
 */
export function haarLevel(x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  checkImages('haarLevel', x, 1);
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    // [n, h/2, 2 (row in block), w/2, 2 (column in block), c] → [row, column, n, h/2, w/2, c]
    const blocks = x.reshape([n, h / 2, 2, w / 2, 2, c]).transpose([2, 4, 0, 1, 3, 5]).reshape([4, n, h / 2, w / 2, c]);
    const [a, b, cc, d] = tf.unstack(blocks) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // top-left, top-right, bottom-left, bottom-right
    const ab = a.add(b); const cd = cc.add(d); const aMinusB = a.sub(b); const cMinusD = cc.sub(d);
    return [
      ab.add(cd).mul(0.5) as tf.Tensor4D,
      ab.sub(cd).mul(0.5) as tf.Tensor4D,
      aMinusB.add(cMinusD).mul(0.5) as tf.Tensor4D,
      aMinusB.sub(cMinusD).mul(0.5) as tf.Tensor4D,
    ];
  });
}

/**
 * The inverse of `haarLevel`: images [n, 2h, 2w, c] from the four bands.
 *
 * ```ts
 * const x2 = inverseHaarLevel(...haarLevel(x)); // equals x to float precision
 * ```
 */
export function inverseHaarLevel(ll: tf.Tensor4D, lh: tf.Tensor4D, hl: tf.Tensor4D, hh: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = ll.shape;
    const a = ll.add(lh).add(hl).add(hh).mul(0.5);
    const b = ll.add(lh).sub(hl).sub(hh).mul(0.5);
    const cc = ll.sub(lh).add(hl).sub(hh).mul(0.5);
    const d = ll.sub(lh).sub(hl).add(hh).mul(0.5);
    return tf.stack([a, b, cc, d]).reshape([2, 2, n, h, w, c]).transpose([2, 3, 0, 4, 1, 5]).reshape([n, h * 2, w * 2, c]) as tf.Tensor4D;
  });
}

/**
 * J-level Haar DWT (Mallat: each level splits the previous LL), differentiable on every backend.
 * The caller disposes the bands (`disposeHaar`), or calls it inside `tf.tidy`.
 *
 * ```ts
 * const bands = haarDwt(images, 3); // at 32×32: high[0] 16×16, high[1] 8×8, high[2] 4×4, low 4×4
 * disposeHaar(bands);
 * ```
 */
export function haarDwt(x: tf.Tensor4D, levels: number): HaarDecomposition {
  checkImages('haarDwt', x, levels);
  const high: HaarDetailBands[] = [];
  let low = x;
  for (let level = 0; level < levels; level++) {
    const [ll, lh, hl, hh] = haarLevel(low);
    if (low !== x) low.dispose();
    high.push({ lh, hl, hh });
    low = ll;
  }
  return { low, high };
}

/**
 * Reconstructs the images from a `haarDwt` decomposition.
 *
 * ```ts
 * const x2 = inverseHaarDwt(haarDwt(x, 3)); // equals x to ~1e-6
 * ```
 */
export function inverseHaarDwt(bands: HaarDecomposition): tf.Tensor4D {
  return tf.tidy(() => {
    let low = bands.low;
    for (let level = bands.high.length - 1; level >= 0; level--) {
      const { lh, hl, hh } = bands.high[level]!;
      low = inverseHaarLevel(low, lh, hl, hh);
    }
    return low;
  });
}

/** Frees every band of a decomposition. */
export function disposeHaar(bands: HaarDecomposition): void {
  tf.dispose([bands.low, ...bands.high.flatMap((b) => [b.lh, b.hl, b.hh])]);
}
