import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError, type ConfigIssue, type DataProvider, type DatasetSplits, type LabeledTensors } from '@whittle/kernel';
import { loadIdxPair } from '@whittle/data';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, toDiffusionImages } from './diffusion-images.js';

/** Options of `fashion-mnist-diffusion` (a type alias, to fit `DataProvider`'s record type). */
export type FashionMnistDiffusionOptions = {
  /** Folder with Fashion-MNIST's four gzipped IDX files; default Debian's /usr/share/datasets/fashion-mnist. */
  readonly dir?: string;
  /** Side of the images (28 keeps them; otherwise pad to 32 and resize). Default 16. */
  readonly side?: number;
};

const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'] as const;

function examples(images: Uint8Array, labels: Uint8Array, indices: ArrayLike<number>, side: number): LabeledTensors {
  const count = indices.length;
  const pixels = new Float32Array(count * 28 * 28);
  const classes = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices[k] as number;
    for (let p = 0; p < 28 * 28; p++) pixels[k * 784 + p] = (images[i * 784 + p] ?? 0) / 255;
    classes[k] = labels[i] ?? 0;
  }
  return tf.tidy(() => ({
    x: toDiffusionImages(tf.tensor4d(pixels, [count, 28, 28, 1]), side),
    y: tf.oneHot(tf.tensor1d(classes, 'int32'), 10).toFloat() as tf.Tensor2D,
  }));
}

/**
 * `fashion-mnist-diffusion`: Fashion-MNIST for class-conditional diffusion, x₀ in [−1, 1] at
 * `side`×`side` (default 16: padded to 32×32, 2×2 average-pooled), y one-hot. Train and validation
 * come from the 60,000 training images (seeded shuffle, `trainLimit`, `validationSplit`), test from
 * the 10,000 t10k images (the first `testLimit`). Its task is `class-conditional-diffusion`.
 *
 * ```json
 * { "data": { "provider": "fashion-mnist-diffusion", "trainLimit": 20000, "testLimit": 1000, "validationSplit": 0.05 } }
 * ```
 */
export const fashionMnistDiffusionProvider: DataProvider<FashionMnistDiffusionOptions, DatasetSplits<LabeledTensors>> = {
  name: 'fashion-mnist-diffusion',
  task: 'class-conditional-diffusion',
  description: 'Fashion-MNIST as class-conditional diffusion data: x₀ in [−1, 1] (default 16×16), one-hot classes.',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dir: { type: 'string', minLength: 1, description: 'Folder with the four gzipped IDX files; default /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist).' },
      side: { type: 'integer', minimum: 4, maximum: 64, description: 'Image side; default 16 (the committed teacher\'s).' },
    },
  },
  checkOptions(options, env) {
    const dir = resolve(env.baseDir, options.dir ?? FASHION_MNIST_DIR);
    const missing = FILES.filter((f) => !existsSync(join(dir, f)));
    if (missing.length === 0) return [];
    const issue: ConfigIssue = { path: options.dir === undefined ? '' : '/dir', message: `fashion-mnist-diffusion: ${dir} lacks ${missing.join(', ')}; ${options.dir === undefined ? 'install Debian\'s dataset (apt-get install -y dataset-fashion-mnist) or set data.options.dir' : 'point data.options.dir at a folder with Fashion-MNIST\'s four .gz IDX files'}` };
    return [issue];
  },
  async load(options, common, env) {
    const issues = fashionMnistDiffusionProvider.checkOptions!(options, env);
    if (issues.length > 0) throw inputError('DATA_FILE_MISSING', issues[0]!.message, 'Install dataset-fashion-mnist or set data.options.dir.');
    const dir = resolve(env.baseDir, options.dir ?? FASHION_MNIST_DIR);
    const side = options.side ?? 16;
    const [train, test] = await Promise.all([loadIdxPair(join(dir, FILES[0]), join(dir, FILES[1])), loadIdxPair(join(dir, FILES[2]), join(dir, FILES[3]))]);
    for (const pair of [train, test]) {
      if (pair.shape[0] !== 28 || pair.shape[1] !== 28 || pair.shape[2] !== 1) throw inputError('DATA_FILE_INVALID', `${pair.source}: images are ${pair.shape.join('×')}, fashion-mnist-diffusion reads 28×28×1`, 'Point data.options.dir at Fashion-MNIST (or MNIST) IDX files.');
    }
    const order = env.rng.permutation(train.labels.length);
    const limit = Math.min(common.trainLimit ?? order.length, order.length);
    const validationCount = Math.floor(limit * (common.validationSplit ?? 0.1));
    const trainSplit = examples(train.images, train.labels, order.subarray(validationCount, limit), side);
    const validation = examples(train.images, train.labels, order.subarray(0, Math.max(validationCount, 0)), side);
    const testCount = Math.min(common.testLimit ?? test.labels.length, test.labels.length);
    const testSplit = examples(test.images, test.labels, Int32Array.from({ length: testCount }, (_, i) => i), side);
    return {
      name: 'fashion-mnist-diffusion', task: 'class-conditional-diffusion', train: trainSplit, validation, test: testSplit,
      numClasses: 10, inputShape: [side, side, 1], classNames: [...FASHION_MNIST_CLASSES],
      dispose: () => tf.dispose([trainSplit.x, trainSplit.y, validation.x, validation.y, testSplit.x, testSplit.y]),
    };
  },
};
