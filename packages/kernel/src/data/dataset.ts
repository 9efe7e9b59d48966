import type * as tf from '@tensorflow/tfjs';
import type { ConfigIssue } from '../config/config-error.js';
import type { SeededRng } from '../random/seeded-rng.js';

/** Images and one-hot labels held in memory. `x` is [n, h, w, c] float32, `y` is [n, classes] float32. */
export interface LabeledTensors {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor2D;
}

/** What a data provider hands the run: train/validation/test splits and their description. */
export interface DatasetSplits {
  readonly name: string;
  readonly train: LabeledTensors;
  readonly validation: LabeledTensors;
  /** Held-out test split where the source has one; metrics fall back to `validation` without it. */
  readonly test?: LabeledTensors;
  readonly numClasses: number;
  /** [h, w, c] of one example. */
  readonly inputShape: readonly [number, number, number];
  readonly classNames?: readonly string[];
  /** Frees every tensor above. */
  dispose(): void;
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
 * A named source of labelled images, selected in a pipeline's `data.provider`.
 * Its `optionsSchema` is a JSON Schema for `data.options`, composed into the pipeline schema.
 */
export interface DataProvider<Options = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  load(options: Options, common: DataCommonOptions, env: DataLoadEnv): Promise<DatasetSplits>;
  /**
   * Optional, and quick (no parsing): what `load` would refuse in these schema-valid options, such
   * as files or folders that do not exist. `whittle validate` and the runner call it before anything
   * runs. Each issue's `path` is a JSON pointer into `data.options` (`/dir`), or `` for the whole.
   */
  checkOptions?(options: Options, env: Pick<DataLoadEnv, 'baseDir'>): readonly ConfigIssue[];
}
