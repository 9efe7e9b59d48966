import type * as tf from '@tensorflow/tfjs';
import type { ConfigIssue } from '../config/config-error.js';
import type { SeededRng } from '../random/seeded-rng.js';

/**
 * Examples held in memory: inputs `x` (first axis: examples) and, where the task has them,
 * targets `y` (same first axis). Their shapes are the task's business (see `TaskDefinition`).
 */
export interface Examples {
  readonly x: tf.Tensor;
  readonly y?: tf.Tensor;
}

/** Classification examples: `x` is [n, h, w, c] float32 images, `y` is [n, classes] float32 one-hot labels. */
export interface LabeledTensors extends Examples {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor2D;
}

/** Image-to-image examples: `x` input images [n, h, w, c], `y` the paired target images [n, h', w', c']. */
export interface PairedImages extends Examples {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor4D;
}

/** What a data provider hands the run: train/validation/test splits of one task, and their description. */
export interface DatasetSplits<E extends Examples = Examples> {
  readonly name: string;
  /** The task the data is for (a registered `TaskDefinition`'s name): `classification`, `image-to-image`, `generative`, … */
  readonly task: string;
  readonly train: E;
  readonly validation: E;
  /** Held-out test split where the source has one; metrics fall back to `validation` without it. */
  readonly test?: E;
  /** Classification (and class-conditioned generation) only: the number of classes. */
  readonly numClasses?: number;
  /** [h, w, c] of one input example. */
  readonly inputShape: readonly [number, number, number];
  readonly classNames?: readonly string[];
  /** Frees every tensor above. */
  dispose(): void;
}

/** Classification splits: one-hot labels over `numClasses` classes. */
export interface ClassificationSplits extends DatasetSplits<LabeledTensors> {
  readonly task: 'classification';
  readonly numClasses: number;
}

/** Image-to-image splits: each input image paired with its target image. */
export interface ImageToImageSplits extends DatasetSplits<PairedImages> {
  readonly task: 'image-to-image';
}

/** Options every provider accepts (the `data` block of a pipeline), besides its own `options`. */
export interface DataCommonOptions {
  /** Fraction of the training examples held out for validation (0 ≤ f < 1). Default 0.1. */
  readonly validationSplit?: number;
  /** Use at most this many training examples (taken after a seeded shuffle). */
  readonly trainLimit?: number;
  /** Use at most this many test examples (the first ones, in file order). */
  readonly testLimit?: number;
  /** `unit`: pixel/255. `standardize`: per-channel mean/std of the training split. Default `unit`. */
  readonly normalize?: 'unit' | 'standardize' | 'none';
}

/** Where a provider is being loaded from: the config file's folder resolves relative paths. */
export interface DataLoadEnv {
  readonly baseDir: string;
  readonly rng: SeededRng;
  /**
   * [h, w, c] of the pipeline's model input where it is known before the data loads (a model file's
   * first input); providers that resize images use it as their default size.
   */
  readonly modelInputShape?: readonly [number, number, number];
}

/**
 * A named source of examples for one task, selected in a pipeline's `data.provider`.
 * Its `optionsSchema` is a JSON Schema for `data.options`, composed into the pipeline schema.
 */
export interface DataProvider<Options = Record<string, unknown>, Splits extends DatasetSplits = DatasetSplits> {
  readonly name: string;
  readonly description: string;
  /** The task of the splits it loads (checked against the registered tasks before the run starts). */
  readonly task: string;
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  load(options: Options, common: DataCommonOptions, env: DataLoadEnv): Promise<Splits>;
  /**
   * Optional, and quick (no parsing): what `load` would refuse in these schema-valid options, such
   * as files or folders that do not exist. `whittle validate` and the runner call it before anything
   * runs. Each issue's `path` is a JSON pointer into `data.options` (`/dir`), or `` for the whole.
   */
  checkOptions?(options: Options, env: Pick<DataLoadEnv, 'baseDir'>): readonly ConfigIssue[];
}
