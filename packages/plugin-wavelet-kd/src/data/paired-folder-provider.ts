import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { inputError, type ConfigIssue, type DataProvider, type ImageToImageSplits } from '@whittle/kernel';
import { decodeImages, IMAGE_EXTENSIONS, type LabeledImages } from '@whittle/data';
import { pairedPixelsOf, pairedSplits, type PairedPixels } from './paired-splits.js';

/** Options of `paired-folder` (a type alias, to fit `DataProvider`'s record type). */
export type PairedFolderOptions = {
  /** Folder holding `A/` (inputs) and `B/` (targets) with the same file names (pix2pix's layout), relative to the pipeline file. */
  readonly root: string;
  /** [height, width] both images are resized to (sharp, `fill`); default the model file's input size. */
  readonly size?: readonly [number, number];
  /** Channels of the inputs: 1 or 3. Default 3. */
  readonly inputChannels?: 1 | 3;
  /** Channels of the targets: 1 or 3. Default 3. */
  readonly targetChannels?: 1 | 3;
  /** Fraction of the pairs held out as the test split (seeded); default 0: none. */
  readonly testSplit?: number;
};

function imageNames(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.startsWith('.') && IMAGE_EXTENSIONS.includes(extname(name).toLowerCase())).sort();
}

function folderIssues(root: string, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const side of ['A', 'B']) {
    const dir = join(root, side);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) issues.push({ path, message: `paired-folder: ${dir} is not a folder (pix2pix layout: root/A/<name>.png inputs, root/B/<name>.png targets)` });
  }
  return issues;
}

function toPixels(inputs: LabeledImages, targets: LabeledImages): PairedPixels {
  return pairedPixelsOf(Float32Array.from(inputs.images, (v) => v / 255), Float32Array.from(targets.images, (v) => v / 255), inputs.shape, targets.shape);
}

/**
 * `paired-folder`: the user's own pairs in pix2pix's layout: `root/A/` holds the input images and
 * `root/B/` the target images, paired by file name (JPEG or PNG). Every name must be in both folders.
 * Images are decoded and resized with sharp, pixels/255.
 *
 * ```json
 * { "data": { "provider": "paired-folder", "options": { "root": "pairs", "size": [32, 32], "inputChannels": 1, "targetChannels": 1 } } }
 * ```
 */
export const pairedFolderProvider: DataProvider<PairedFolderOptions, ImageToImageSplits> = {
  name: 'paired-folder',
  task: 'image-to-image',
  description: 'Paired images in pix2pix\'s layout: root/A (inputs) and root/B (targets) with the same file names, resized with sharp.',
  optionsSchema: {
    type: 'object',
    required: ['root'],
    additionalProperties: false,
    properties: {
      root: { type: 'string', minLength: 1, description: 'Folder with A/ (inputs) and B/ (targets), same file names.' },
      size: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2, description: '[height, width]; default the model file\'s input size.' },
      inputChannels: { enum: [1, 3], description: 'Input channels; default 3.' },
      targetChannels: { enum: [1, 3], description: 'Target channels; default 3.' },
      testSplit: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Fraction held out as the test split; default 0.' },
    },
  },
  checkOptions(options, env) {
    return folderIssues(resolve(env.baseDir, options.root), '/root');
  },
  async load(options, common, env) {
    const root = resolve(env.baseDir, options.root);
    const issues = folderIssues(root, '/root');
    if (issues.length > 0) throw inputError('DATA_FILE_MISSING', issues[0]!.message, 'Create root/A and root/B with one image of each pair, same names.');
    const size = options.size ?? (env.modelInputShape === undefined ? undefined : [env.modelInputShape[0], env.modelInputShape[1]] as const);
    if (size === undefined) throw inputError('BAD_DATA_OPTION', 'paired-folder: data.options.size is required here (the model\'s input size is known before the data loads only for a model file)', 'Set data.options.size, e.g. [32, 32].');
    const a = imageNames(join(root, 'A'));
    const b = new Set(imageNames(join(root, 'B')));
    const unpaired = [...a.filter((n) => !b.has(n)), ...[...b].filter((n) => !a.includes(n))];
    if (unpaired.length > 0) {
      throw inputError('DATA_FILE_INVALID', `paired-folder: ${unpaired.length} image(s) in ${root} have no partner of the same name: ${unpaired.slice(0, 5).join(', ')}${unpaired.length > 5 ? ', …' : ''}`,
        'Every file in A/ needs a file of the same name in B/ and vice versa.');
    }
    if (a.length === 0) throw inputError('DATA_FILE_INVALID', `paired-folder: ${join(root, 'A')} holds no ${IMAGE_EXTENSIONS.join('/')} images`, 'Add image pairs.');
    const testSplit = options.testSplit ?? 0;
    const order = env.rng.fork('test-split').permutation(a.length);
    const testCount = Math.round(a.length * testSplit);
    const pick = (indices: Int32Array): string[] => Array.from(indices).sort((x, y) => x - y).map((i) => a[i]!);
    const decode = async (names: string[]): Promise<PairedPixels> => {
      const [h, w] = size;
      const [inputs, targets] = await Promise.all([
        decodeImages(join(root, 'A'), names.map((path) => ({ path, label: 0 })), { height: h, width: w, channels: options.inputChannels ?? 3, fit: 'fill' }),
        decodeImages(join(root, 'B'), names.map((path) => ({ path, label: 0 })), { height: h, width: w, channels: options.targetChannels ?? 3, fit: 'fill' }),
      ]);
      return toPixels(inputs, targets);
    };
    const train = await decode(pick(order.subarray(testCount)));
    const test = testCount === 0 ? undefined : await decode(pick(order.subarray(0, testCount)));
    return pairedSplits(`paired-folder:${basename(root)}`, train, test, common, env.rng);
  },
};
