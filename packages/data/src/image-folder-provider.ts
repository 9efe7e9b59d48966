import { basename, resolve } from 'node:path';
import { inputError, type ClassificationSplits, type DataProvider, type SeededRng } from '@whittle/kernel';
import { buildDatasetSplits } from './build-dataset-splits.js';
import { decodeImages, type ImageFit } from './decode-images.js';
import { listImageFolder, type ImageFile } from './list-image-folder.js';
import type { LabeledImages } from './labeled-images.js';

/** Options of the `image-folder` provider (a type alias, so that it fits `DataProvider`'s `Record<string, unknown>`). */
export type ImageFolderProviderOptions = {
  /** The folder with one sub-folder per class, relative to the pipeline file's folder. */
  readonly root: string;
  /** [height, width] every image is resized to; default the model file's input size. */
  readonly size?: readonly [number, number];
  /** 1 (grayscale) or 3 (RGB); default the model file's input channels, else 3. */
  readonly channels?: 1 | 3;
  /** How an image of another aspect ratio is resized (sharp's `fit`); default `fill` (stretch, as torchvision's `Resize((h, w))`). */
  readonly fit?: ImageFit;
  /** Fraction of the images held out as the test split (seeded, 0 ≤ f < 1); default 0: no test split. */
  readonly testSplit?: number;
  /** Use at most this many images of each class (a seeded choice). */
  readonly limitPerClass?: number;
};

/** Seeded choice of at most `limit` files, kept in file order. */
function limitFiles(files: readonly ImageFile[], limit: number | undefined, rng: SeededRng): ImageFile[] {
  if (limit === undefined || files.length <= limit) return [...files];
  const keep = Array.from(rng.permutation(files.length).subarray(0, limit)).sort((a, b) => a - b);
  return keep.map((i) => files[i]!);
}

/** Images `from`..`to` of `all`, as a view (no copy). */
function slice(all: LabeledImages, from: number, to: number, source: string): LabeledImages {
  const perImage = all.shape[0] * all.shape[1] * all.shape[2];
  return { images: all.images.subarray(from * perImage, to * perImage), labels: all.labels.subarray(from, to), shape: all.shape, source };
}

function resolveSize(options: ImageFolderProviderOptions, modelInput: readonly [number, number, number] | undefined): readonly [number, number] {
  if (options.size !== undefined) return options.size;
  if (modelInput !== undefined) return [modelInput[0], modelInput[1]];
  throw inputError(
    'BAD_DATA_OPTION',
    'image-folder: data.options.size is required here (the model\'s input size is known before the data loads only for a model file)',
    'Set data.options.size to the model\'s input [height, width], e.g. [224, 224].',
  );
}

/**
 * A folder of JPEG/PNG images, one sub-folder per class (torchvision's `ImageFolder` convention):
 * `root/cat/001.jpg`, `root/dog/xyz.png` … Class names are the sub-folder names in sorted order
 * (label 0 first). Images are decoded with sharp, resized to `size` (default: the model file's input)
 * and converted to `channels`. Files with other extensions and hidden files are skipped; a file with an
 * image extension that does not decode is an error naming it. `testSplit` holds out a seeded fraction
 * as the test split; `validationSplit`, `trainLimit`, `normalize` work as for every provider.
 *
 * ```ts
 * const splits = await imageFolderProvider.load({ root: 'photos', size: [96, 96], testSplit: 0.2 },
 *   { validationSplit: 0.1 }, { baseDir: process.cwd(), rng: SeededRng.from(1, 'data') });
 * splits.classNames; // ['cat', 'dog']
 * ```
 */
export const imageFolderProvider: DataProvider<ImageFolderProviderOptions, ClassificationSplits> = {
  name: 'image-folder',
  task: 'classification',
  description: 'A folder of JPEG/PNG images with one sub-folder per class (torchvision ImageFolder), resized with sharp.',
  optionsSchema: {
    type: 'object',
    required: ['root'],
    additionalProperties: false,
    properties: {
      root: { type: 'string', minLength: 1, description: 'Folder with one sub-folder of images per class.' },
      size: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2, description: '[height, width]; default the model file\'s input size.' },
      channels: { enum: [1, 3], description: '1 (grayscale) or 3 (RGB); default the model\'s, else 3.' },
      fit: { enum: ['fill', 'cover', 'contain', 'inside', 'outside'], description: 'Resize mode for other aspect ratios (sharp); default fill.' },
      testSplit: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Fraction held out as the test split; default 0.' },
      limitPerClass: { type: 'integer', minimum: 1, description: 'At most this many images of each class (seeded choice).' },
    },
  },
  async load(options, common, env) {
    if (typeof options.root !== 'string' || options.root === '') {
      throw inputError('BAD_DATA_OPTION', 'image-folder: data.options.root is required', 'Set it to a folder with one sub-folder of images per class.');
    }
    const testSplit = options.testSplit ?? 0;
    if (!(testSplit >= 0 && testSplit < 1)) {
      throw inputError('BAD_DATA_OPTION', `image-folder: data.options.testSplit must be in [0, 1), got ${testSplit}`, 'Use e.g. 0.2 to hold out 20% of the images for testing.');
    }
    const root = resolve(env.baseDir, options.root);
    const [h, w] = resolveSize(options, env.modelInputShape);
    const modelChannels = env.modelInputShape?.[2];
    const channels = options.channels ?? (modelChannels === 1 ? 1 : 3);

    const folder = await listImageFolder(root);
    const files = folder.classes.flatMap((_, label) => limitFiles(folder.files.filter((f) => f.label === label), options.limitPerClass, env.rng.fork(`limit-${label}`)));

    // The seeded test split is chosen before decoding: the test files (in file order), then the
    // train files, are decoded into one buffer that both splits view, so the images are held once.
    const order = env.rng.fork('test-split').permutation(files.length);
    const testCount = Math.round(files.length * testSplit);
    const sorted = (indices: Int32Array): number[] => Array.from(indices).sort((a, b) => a - b);
    const splitOrder = [...sorted(order.subarray(0, testCount)), ...sorted(order.subarray(testCount))];
    const all = await decodeImages(root, splitOrder.map((i) => files[i]!), { height: h, width: w, channels, fit: options.fit ?? 'fill' });
    const test = testCount === 0 ? undefined : slice(all, 0, testCount, `${root} (test split)`);
    const train = testCount === 0 ? all : slice(all, testCount, files.length, root);
    return buildDatasetSplits(
      { name: `image-folder:${basename(root)}`, train, ...(test === undefined ? {} : { test }), numClasses: folder.classes.length, classNames: folder.classes },
      common,
      env.rng,
    );
  },
};
