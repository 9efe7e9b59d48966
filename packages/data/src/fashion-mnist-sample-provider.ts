import { join } from 'node:path';
import { buildDatasetSplits } from './build-dataset-splits.js';
import type { ClassificationSplits, DataProvider } from '@whittle/kernel';
import { dataAssetPath } from './data-assets.js';
import { loadIdxPair } from './load-idx-pair.js';

/** Fashion-MNIST's class names, label 0 first. */
export const FASHION_MNIST_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/**
 * The embedded sample: 2000 training and 400 test images of Fashion-MNIST (28×28×1, 10 balanced
 * classes), shipped in `@whittle/data/assets/fashion-mnist-sample` (see its README for provenance).
 *
 * ```ts
 * const splits = await fashionMnistSampleProvider.load({}, { validationSplit: 0.1 }, { baseDir: '.', rng: SeededRng.from(1) });
 * splits.train.x.shape; // [1800, 28, 28, 1]
 * ```
 */
export const fashionMnistSampleProvider: DataProvider<Record<string, never>, ClassificationSplits> = {
  name: 'fashion-mnist-sample',
  task: 'classification',
  description: 'A class-balanced 2000/400 sample of Fashion-MNIST shipped with Whittle (no download, for quickstarts and tests).',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async load(_options, common, env) {
    const dir = dataAssetPath('fashion-mnist-sample');
    const [train, test] = await Promise.all([
      loadIdxPair(join(dir, 'train-images-idx3-ubyte.gz'), join(dir, 'train-labels-idx1-ubyte.gz')),
      loadIdxPair(join(dir, 't10k-images-idx3-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz')),
    ]);
    return buildDatasetSplits({ name: 'fashion-mnist-sample', train, test, numClasses: 10, classNames: FASHION_MNIST_CLASS_NAMES }, common, env.rng);
  },
};
