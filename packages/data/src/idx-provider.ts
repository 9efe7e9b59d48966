import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { inputError, type ClassificationSplits, type ConfigIssue, type DataProvider } from '@whittle/kernel';
import { pathProblem } from '@whittle/model-io';
import { buildDatasetSplits } from './build-dataset-splits.js';
import type { LabeledImages } from './labeled-images.js';
import { loadIdxPair } from './load-idx-pair.js';

/** Options of the `idx` provider. Paths are relative to the pipeline file's folder. */
export interface IdxProviderOptions {
  /** A folder with the standard names: `train-images-idx3-ubyte(.gz)`, `train-labels-idx1-ubyte(.gz)`, `t10k-…`. */
  readonly dir?: string;
  readonly trainImages?: string;
  readonly trainLabels?: string;
  readonly testImages?: string;
  readonly testLabels?: string;
  /** Names of the classes, label 0 first; also fixes the number of classes. */
  readonly classNames?: readonly string[];
}

type FileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

const STANDARD_NAMES: Readonly<Record<FileRole, readonly string[]>> = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
};

/** The candidates tried in `dir` for a role: each standard name, plain then gzipped. */
function candidates(role: FileRole): string[] {
  return STANDARD_NAMES[role].flatMap((name) => [name, `${name}.gz`]);
}

function locate(role: FileRole, options: IdxProviderOptions, baseDir: string): string | undefined {
  const explicit = options[role];
  if (explicit !== undefined) return resolve(baseDir, explicit);
  if (options.dir === undefined) return undefined;
  const dir = resolve(baseDir, options.dir);
  return candidates(role).map((name) => join(dir, name)).find((path) => existsSync(path));
}

function missing(role: FileRole, options: IdxProviderOptions, baseDir: string): Error {
  const where = options.dir === undefined ? 'no data.options.dir' : `none of ${candidates(role).join(', ')} in ${resolve(baseDir, options.dir)}`;
  return inputError('DATA_FILE_MISSING', `idx: cannot find the ${role} file (${where})`, `Set data.options.${role}, or data.options.dir to a folder with the standard MNIST file names.`);
}

/**
 * IDX files of the MNIST family (MNIST, Fashion-MNIST, KMNIST …), gzipped or not.
 *
 * ```ts
 * const splits = await idxProvider.load({ dir: '/usr/share/datasets/fashion-mnist' }, { trainLimit: 5000 },
 *   { baseDir: process.cwd(), rng: SeededRng.from(42, 'data') });
 * ```
 */
export const idxProvider: DataProvider<IdxProviderOptions, ClassificationSplits> = {
  name: 'idx',
  task: 'classification',
  description: 'IDX files of the MNIST family (gzipped or not): a folder with the standard names, or each file by path.',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dir: { type: 'string', minLength: 1, description: 'Folder with train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz).' },
      trainImages: { type: 'string', minLength: 1 },
      trainLabels: { type: 'string', minLength: 1 },
      testImages: { type: 'string', minLength: 1 },
      testLabels: { type: 'string', minLength: 1 },
      classNames: { type: 'array', items: { type: 'string' }, minItems: 2 },
    },
  },
  checkOptions(options, env) {
    const issues: ConfigIssue[] = [];
    const dirProblem = options.dir === undefined ? undefined : pathProblem(resolve(env.baseDir, options.dir), 'folder');
    if (dirProblem !== undefined) issues.push({ path: '/dir', message: dirProblem });
    const roles: FileRole[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];
    for (const role of roles) {
      const explicit = options[role];
      const problem = explicit === undefined ? undefined : pathProblem(resolve(env.baseDir, explicit), 'file');
      if (problem !== undefined) issues.push({ path: `/${role}`, message: problem });
    }
    if (issues.length > 0) return issues;
    const found = (role: FileRole): boolean => locate(role, options, env.baseDir) !== undefined;
    const absent = roles.filter((role) => !found(role) && (role.startsWith('train') || found(role === 'testImages' ? 'testLabels' : 'testImages')));
    return absent.map((role) => ({ path: options.dir === undefined ? '' : '/dir', message: missing(role, options, env.baseDir).message }));
  },
  async load(options, common, env) {
    const path = (role: FileRole): string | undefined => locate(role, options, env.baseDir);
    const required = (role: FileRole): string => {
      const found = path(role);
      if (found === undefined) throw missing(role, options, env.baseDir);
      return found;
    };
    const trainImages = required('trainImages');
    const trainLabels = required('trainLabels');
    const testImages = path('testImages');
    const testLabels = path('testLabels');
    if ((testImages === undefined) !== (testLabels === undefined)) {
      throw missing(testImages === undefined ? 'testImages' : 'testLabels', options, env.baseDir);
    }
    const train = await loadIdxPair(trainImages, trainLabels);
    let test: LabeledImages | undefined;
    if (testImages !== undefined && testLabels !== undefined) test = await loadIdxPair(testImages, testLabels);
    const maxLabel = Math.max(...[train.labels, test?.labels ?? new Uint8Array()].map((labels) => labels.reduce((m, l) => Math.max(m, l), 0)));
    const numClasses = options.classNames?.length ?? maxLabel + 1;
    const name = `idx:${basename(options.dir ?? trainImages)}`;
    return buildDatasetSplits(
      { name, train, ...(test === undefined ? {} : { test }), numClasses, ...(options.classNames === undefined ? {} : { classNames: options.classNames }) },
      common,
      env.rng,
    );
  },
};
