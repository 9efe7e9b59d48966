import * as tf from '@tensorflow/tfjs';
import { inputError, type Examples } from '@whittle/kernel';
import { BandErrorAccumulator, type BandErrors } from './band-error.js';
import { ssimPerImage } from './ssim.js';

/**
 * The model's outputs for every input of `x`, `batchSize` at a time (inference mode), as one tensor the caller disposes.
 *
 * ```ts
 * const generated = predictAll(generator, splits.validation.x, 64);
 * ```
 */
export function predictAll(model: tf.LayersModel, x: tf.Tensor, batchSize = 64): tf.Tensor4D {
  const n = x.shape[0] ?? 0;
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    parts.push(tf.tidy(() => model.predict(x.slice(start, Math.min(batchSize, n - start))) as tf.Tensor));
  }
  const all = tf.concat(parts, 0) as tf.Tensor4D;
  tf.dispose(parts);
  return all;
}

/** Targets of image-to-image data as images [n, h, w, c], or a clear error. */
export function targetImages(who: string, data: Examples): tf.Tensor4D {
  if (data.y === undefined || data.y.rank !== 4) {
    throw inputError('TARGET_MISSING', `${who}: needs target images [n, h, w, c] (image-to-image data), got ${data.y === undefined ? 'no targets' : `targets of shape ${JSON.stringify(data.y.shape)}`}`,
      'Measure it on an image-to-image dataset, whose y holds the target images.');
  }
  return data.y as tf.Tensor4D;
}

/**
 * Mean SSIM of image batches `a` against `b` (see `ssimPerImage`).
 *
 * ```ts
 * meanSsim(generated, targets); // 1 for identical images
 * ```
 */
export function meanSsim(a: tf.Tensor4D, b: tf.Tensor4D, peak = 1, batchSize = 256): number {
  const n = a.shape[0];
  let total = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const s = tf.tidy(() => ssimPerImage(a.slice(start, size), b.slice(start, size), peak).sum());
    total += s.dataSync()[0] ?? 0;
    s.dispose();
  }
  return total / n;
}

/**
 * Per-band L1 error of image batches (see `BandErrorAccumulator`), `batchSize` images at a time.
 *
 * ```ts
 * bandErrors(generated, targets, 3).high;
 * ```
 */
export function bandErrors(a: tf.Tensor4D, b: tf.Tensor4D, levels: number, batchSize = 256): BandErrors {
  const accumulator = new BandErrorAccumulator(levels);
  const n = a.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [x, y] = [a.slice(start, size), b.slice(start, size)];
    accumulator.add(x, y);
    tf.dispose([x, y]);
  }
  return accumulator.result();
}

/** Haar levels of a side: as many halvings as keep ≥ 4 pixels, at most 3 (J = 3 at 32×32, the WKD setting). */
export function defaultBandLevels(height: number, width: number): number {
  let levels = 0;
  while (levels < 3 && height % 2 ** (levels + 1) === 0 && width % 2 ** (levels + 1) === 0 && Math.min(height, width) / 2 ** (levels + 1) >= 4) levels++;
  return Math.max(levels, 1);
}
