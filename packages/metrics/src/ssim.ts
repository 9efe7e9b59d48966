import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';

/** SSIM's constants (Wang et al. 2004): an 11×11 Gaussian window of σ 1.5, K1 = 0.01, K2 = 0.03. */
export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
const K1 = 0.01;
const K2 = 0.03;

function gaussianWindow(size: number, sigma: number, channels: number): tf.Tensor4D {
  const g = Array.from({ length: size }, (_, i) => Math.exp(-((i - (size - 1) / 2) ** 2) / (2 * sigma * sigma)));
  const total = g.reduce((a, b) => a + b, 0);
  const values: number[] = [];
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) for (let c = 0; c < channels; c++) values.push((g[i]! * g[j]!) / (total * total));
  return tf.tensor4d(values, [size, size, channels, 1]);
}

/**
 * Structural similarity per image (Wang et al. 2004): local means, variances and covariance under a
 * Gaussian window (`valid` positions only, as the reference implementation), averaged over the map and
 * the channels. Images [n, h, w, c] with pixel range `peak` (1 for [0, 1]); the window shrinks to the
 * image's side when the image is smaller than 11 pixels. Returns a [n] tensor, 1 for identical images.
 *
 * ```ts
 * const s = ssimPerImage(generated, targets); // [n]
 * ```
 */
export function ssimPerImage(a: tf.Tensor4D, b: tf.Tensor4D, peak = 1): tf.Tensor1D {
  if (a.rank !== 4 || a.shape.join() !== b.shape.join()) {
    throw inputError('SSIM_SHAPE_MISMATCH', `ssim: needs two image batches of one shape [n, h, w, c], got ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)}`, 'Compare each output with its own target.');
  }
  const [, h, w, c] = a.shape;
  const size = Math.min(SSIM_WINDOW, h, w);
  return tf.tidy(() => {
    const window = gaussianWindow(size, SSIM_SIGMA, c);
    const blur = (x: tf.Tensor4D): tf.Tensor4D => tf.depthwiseConv2d(x, window, 1, 'valid');
    const c1 = (K1 * peak) ** 2;
    const c2 = (K2 * peak) ** 2;
    const muA = blur(a); const muB = blur(b);
    const muAA = muA.square(); const muBB = muB.square(); const muAB = muA.mul(muB);
    const varA = blur(a.square()).sub(muAA); const varB = blur(b.square()).sub(muBB); const cov = blur(a.mul(b)).sub(muAB);
    const map = muAB.mul(2).add(c1).mul(cov.mul(2).add(c2)).div(muAA.add(muBB).add(c1).mul(varA.add(varB).add(c2)));
    return map.mean([1, 2, 3]) as tf.Tensor1D;
  });
}
