import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inputError, type ClassificationSplits, type ConfigIssue, type DataProvider } from '@whittle/kernel';
import { pathProblem } from '@whittle/model-io';
import { buildDatasetSplits } from './build-dataset-splits.js';
import { parseCifar10Batch } from './cifar10-parser.js';
import type { LabeledImages } from './labeled-images.js';
import { readDataFile } from './read-data-file.js';

/** The files of the CIFAR-10 binary distribution, without `.bin`. */
export const CIFAR10_BATCHES = ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'] as const;
export type Cifar10BatchName = (typeof CIFAR10_BATCHES)[number];

/** The class names of CIFAR-10, used when the folder has no `batches.meta.txt`. */
export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/** Options of the `cifar10` provider (a type alias, so that it fits `DataProvider`'s `Record<string, unknown>`). */
export type Cifar10ProviderOptions = {
  /** The extracted `cifar-10-batches-bin` folder, relative to the pipeline file's folder. */
  readonly dir: string;
  /** Which batches to read (default: all six, each required). `test_batch` becomes the test split. */
  readonly batches?: readonly Cifar10BatchName[];
};

async function readBatches(dir: string, names: readonly Cifar10BatchName[]): Promise<LabeledImages> {
  const parts = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, `${name}.bin`);
      return parseCifar10Batch(await readDataFile(path, `cifar10: ${name}`), path);
    }),
  );
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(count * 32 * 32 * 3);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    images.set(part.images, at * 32 * 32 * 3);
    labels.set(part.labels, at);
    at += part.count;
  }
  return { images, labels, shape: [32, 32, 3], source: names.map((n) => join(dir, `${n}.bin`)).join(', ') };
}

async function classNames(dir: string): Promise<readonly string[]> {
  const meta = join(dir, 'batches.meta.txt');
  if (!existsSync(meta)) return CIFAR10_CLASS_NAMES;
  const names = (await readFile(meta, 'utf8')).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (names.length !== 10) {
    throw inputError('DATA_FILE_INVALID', `${meta}: ${names.length} class names, CIFAR-10 has 10`, 'Restore batches.meta.txt from the CIFAR-10 archive, or delete it to use the standard names.');
  }
  return names;
}

/**
 * CIFAR-10 in its binary distribution (`data_batch_1..5.bin`, `test_batch.bin`): 32×32×3 images, 10 classes.
 *
 * ```ts
 * const splits = await cifar10Provider.load({ dir: 'data/cifar-10-batches-bin', batches: ['data_batch_1', 'test_batch'] },
 *   {}, { baseDir: process.cwd(), rng: SeededRng.from(1, 'data') });
 * ```
 */
export const cifar10Provider: DataProvider<Cifar10ProviderOptions, ClassificationSplits> = {
  name: 'cifar10',
  task: 'classification',
  description: 'CIFAR-10 binary batches (cifar-10-batches-bin): data_batch_1..5.bin for training, test_batch.bin for test.',
  optionsSchema: {
    type: 'object',
    required: ['dir'],
    additionalProperties: false,
    properties: {
      dir: { type: 'string', minLength: 1, description: 'The cifar-10-batches-bin folder.' },
      batches: { type: 'array', items: { enum: [...CIFAR10_BATCHES] }, minItems: 1, uniqueItems: true, description: 'Batches to read; default all six.' },
    },
  },
  checkOptions(options, env) {
    const dir = resolve(env.baseDir, options.dir);
    const dirProblem = pathProblem(dir, 'folder');
    if (dirProblem !== undefined) return [{ path: '/dir', message: `${dirProblem}; it should be the extracted cifar-10-batches-bin folder` }];
    const wanted = options.batches ?? CIFAR10_BATCHES;
    const issues: ConfigIssue[] = wanted.flatMap((name) => {
      const problem = pathProblem(join(dir, `${name}.bin`), 'file');
      return problem === undefined ? [] : [{ path: options.batches === undefined ? '/dir' : `/batches/${wanted.indexOf(name)}`, message: problem }];
    });
    if (!wanted.some((name) => name !== 'test_batch')) issues.push({ path: '/batches', message: 'lists no training batch; add at least one of data_batch_1 … data_batch_5' });
    return issues;
  },
  async load(options, common, env) {
    if (typeof options.dir !== 'string' || options.dir === '') {
      throw inputError('BAD_DATA_OPTION', 'cifar10: data.options.dir is required', 'Set it to the extracted cifar-10-batches-bin folder.');
    }
    const dir = resolve(env.baseDir, options.dir);
    const wanted = options.batches ?? CIFAR10_BATCHES;
    const absent = wanted.filter((name) => !existsSync(join(dir, `${name}.bin`)));
    if (absent.length > 0) {
      throw inputError(
        'DATA_FILE_MISSING',
        `cifar10: ${dir} lacks ${absent.map((n) => `${n}.bin`).join(', ')}`,
        options.batches === undefined ? 'Extract the whole archive, or list the batches to read in data.options.batches.' : 'Remove them from data.options.batches or add the files.',
      );
    }
    const trainNames = wanted.filter((name) => name !== 'test_batch');
    if (trainNames.length === 0) {
      throw inputError('BAD_DATA_OPTION', 'cifar10: data.options.batches lists no training batch', 'Add at least one of data_batch_1 … data_batch_5.');
    }
    const train = await readBatches(dir, trainNames);
    const test = wanted.includes('test_batch') ? await readBatches(dir, ['test_batch']) : undefined;
    return buildDatasetSplits(
      { name: 'cifar10', train, ...(test === undefined ? {} : { test }), numClasses: 10, classNames: await classNames(dir) },
      common,
      env.rng,
    );
  },
};
