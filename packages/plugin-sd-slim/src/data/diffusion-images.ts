import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { inputError } from '@whittle/kernel';
import { loadIdxPair } from '@whittle/data';

/** Debian's dataset-fashion-mnist folder. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names of Fashion-MNIST, by label. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/**
 * Images [n, h, w, c] with pixels in [0, 1] → the diffusion model's x₀ [n, side, side, c] in [−1, 1].
 * 28×28 (MNIST-family) images are first padded by 2 to 32×32, the framing the Fréchet classifier of
 * @whittle/metrics was trained on; then a 2× or 4× reduction is an average pool (area resize) and any
 * other size a bilinear resize.
 *
 * ```ts
 * const x0 = toDiffusionImages(images01, 16); // 28×28 → 16×16 in [−1, 1]
 * ```
 */
export function toDiffusionImages(images: tf.Tensor4D, side: number): tf.Tensor4D {
  return tf.tidy(() => {
    let x = images;
    if (x.shape[1] === 28 && x.shape[2] === 28 && side !== 28) x = tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]]);
    const [, h, w] = x.shape;
    if (h !== side || w !== side) {
      const factor = h / side;
      x = h === w && Number.isInteger(factor) && factor > 1 ? tf.avgPool(x, factor, factor, 'valid') : tf.image.resizeBilinear(x, [side, side]);
    }
    return tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D;
  });
}

/** x₀ in [−1, 1] → pixels in [0, 1] (clipped), for the classifier and for pictures. */
export function toUnitPixels(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1) as tf.Tensor4D);
}

/** Diffusion training images and their labels. */
export interface DiffusionImages {
  /** x₀ [n, side, side, 1] in [−1, 1]. */
  readonly x: tf.Tensor4D;
  /** Class index per image. */
  readonly labels: Int32Array;
  readonly classes: number;
  dispose(): void;
}

/**
 * Reads Fashion-MNIST (IDX files, `train` or `t10k`) and converts the first `limit` images with
 * `toDiffusionImages` to `side`×`side`.
 *
 * ```ts
 * const train = await loadFashionMnistDiffusion({ split: 'train', side: 16 });
 * ```
 */
export async function loadFashionMnistDiffusion(options: { readonly dir?: string; readonly split: 'train' | 't10k'; readonly side: number; readonly limit?: number }): Promise<DiffusionImages> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const pair = await loadIdxPair(join(dir, `${options.split}-images-idx3-ubyte.gz`), join(dir, `${options.split}-labels-idx1-ubyte.gz`));
  const [h, w, c] = pair.shape;
  const n = Math.min(options.limit ?? pair.labels.length, pair.labels.length);
  if (n < 1) throw inputError('SD_NO_IMAGES', `${pair.source}: no images to read (limit ${String(options.limit)})`, 'Use a positive limit.');
  const x = tf.tidy(() => toDiffusionImages(tf.tensor4d(Float32Array.from(pair.images.subarray(0, n * h * w * c), (v) => v / 255), [n, h, w, c]), options.side));
  return { x, labels: Int32Array.from(pair.labels.subarray(0, n)), classes: 10, dispose: () => x.dispose() };
}
