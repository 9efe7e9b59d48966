import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError, type ConfigIssue, type DataProvider, type ImageToImageSplits } from '@whittle/kernel';
import { loadIdxPair, type LabeledImages } from '@whittle/data';
import { pairedSplits, type PairedPixels } from './paired-splits.js';
import { sobelEdges } from './sobel-edges.js';

/** Where Debian's `dataset-fashion-mnist` package installs the four IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** Side of the paired images: Fashion-MNIST's 28 pixels padded by 2 on each side, so 3 Haar levels divide it. */
export const EDGES_IMAGE_SIDE = 32;
const PAD = (EDGES_IMAGE_SIDE - 28) / 2;
const FILES = {
  trainImages: 'train-images-idx3-ubyte.gz', trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz', testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** Options of `fashion-mnist-edges` (a type alias, to fit `DataProvider`'s record type). */
export type FashionMnistEdgesOptions = {
  /** Folder with Fashion-MNIST's four gzipped IDX files; default Debian's /usr/share/datasets/fashion-mnist. */
  readonly dir?: string;
  /** Edge threshold on the normalised Sobel magnitude (0 < t < 1: binary edges; 0: the soft magnitude). Default 0.2. */
  readonly threshold?: number;
  /** Keep only these Fashion-MNIST labels (e.g. [5, 7, 9]: sandals, sneakers, ankle boots — an edges→shoes analogue). Default: all ten. */
  readonly classes?: readonly number[];
};

function toPairs(data: LabeledImages, threshold: number, classes: ReadonlySet<number> | undefined): PairedPixels {
  const [h, w] = data.shape;
  const side = EDGES_IMAGE_SIDE;
  const keep = Array.from(data.labels.keys()).filter((i) => classes === undefined || classes.has(data.labels[i] ?? -1));
  return {
    inputShape: [side, side, 1], targetShape: [side, side, 1], count: keep.length,
    write: (k, input, target) => {
      const index = keep[k] ?? 0;
      target.fill(0);
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) target[(r + PAD) * side + c + PAD] = (data.images[index * h * w + r * w + c] ?? 0) / 255;
      input.set(sobelEdges(target, side, side, threshold));
    },
  };
}

function dirOf(options: FashionMnistEdgesOptions, baseDir: string): string {
  return resolve(baseDir, options.dir ?? DEBIAN_FASHION_MNIST_DIR);
}

/**
 * `fashion-mnist-edges`: a paired image-to-image task built from Fashion-MNIST as pix2pix's
 * edges2shoes is built from photos. Each image is padded to 32×32 (the target, pixels/255) and its
 * Sobel edge map (binary at `threshold`) is the input. Train/validation come from the 60,000 training
 * images (seeded shuffle, `trainLimit`, `validationSplit`), test from the 10,000 test images (`testLimit`).
 *
 * ```json
 * { "data": { "provider": "fashion-mnist-edges", "trainLimit": 4000, "testLimit": 500, "options": { "classes": [5, 7, 9] } } }
 * ```
 */
export const fashionMnistEdgesProvider: DataProvider<FashionMnistEdgesOptions, ImageToImageSplits> = {
  name: 'fashion-mnist-edges',
  task: 'image-to-image',
  description: 'Fashion-MNIST as a paired edges→image task (Sobel edges of the 32×32-padded image → the image), like edges2shoes.',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dir: { type: 'string', minLength: 1, description: 'Folder with the four gzipped IDX files; default /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist).' },
      threshold: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Binary-edge threshold on the normalised Sobel magnitude; 0 keeps the soft magnitude. Default 0.2.' },
      classes: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 9 }, minItems: 1, uniqueItems: true, description: 'Fashion-MNIST labels to keep; default all.' },
    },
  },
  checkOptions(options, env) {
    const dir = dirOf(options, env.baseDir);
    const missing = Object.values(FILES).filter((f) => !existsSync(join(dir, f)));
    if (missing.length === 0) return [];
    const hint = options.dir === undefined ? 'install Debian\'s dataset (apt-get install -y dataset-fashion-mnist) or set data.options.dir' : 'point data.options.dir at a folder with Fashion-MNIST\'s four .gz IDX files';
    const issue: ConfigIssue = { path: options.dir === undefined ? '' : '/dir', message: `fashion-mnist-edges: ${dir} lacks ${missing.join(', ')}; ${hint}` };
    return [issue];
  },
  async load(options, common, env) {
    const dir = dirOf(options, env.baseDir);
    const issues = fashionMnistEdgesProvider.checkOptions!(options, env);
    if (issues.length > 0) throw inputError('DATA_FILE_MISSING', issues[0]!.message, 'Install dataset-fashion-mnist or set data.options.dir.');
    const threshold = options.threshold ?? 0.2;
    if (!(threshold >= 0 && threshold < 1)) throw inputError('BAD_DATA_OPTION', `fashion-mnist-edges: threshold must be in [0, 1), got ${threshold}`, 'Use e.g. 0.2.');
    const classes = options.classes === undefined ? undefined : new Set(options.classes);
    const [train, test] = await Promise.all([
      loadIdxPair(join(dir, FILES.trainImages), join(dir, FILES.trainLabels)),
      loadIdxPair(join(dir, FILES.testImages), join(dir, FILES.testLabels)),
    ]);
    return pairedSplits('fashion-mnist-edges', toPairs(train, threshold, classes), toPairs(test, threshold, classes), common, env.rng);
  },
};
