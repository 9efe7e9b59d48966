import type * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../backend/index.js';
import type { DatasetSplits } from '../data/dataset.js';
import type { StageHookName } from './stage-hook-name.js';
import type { Logger, ProgressHandle } from '../logging/logger.js';
import type { SeededRng } from '../random/seeded-rng.js';
import type { TensorMemo } from './tensor-memo.js';

/** Per-channel importance, keyed by dependency-group id (see `@whittle/graph`). Higher means more important. */
export type ScoreTable = ReadonlyMap<string, Float32Array>;

/** Numeric precision chosen for one layer by a `quantize` stage. */
export interface LayerPrecision {
  readonly weightBits: number;
  readonly activationBits?: number;
  readonly scheme?: string;
}

/** What a `deploy` stage produced for its target. */
export interface DeployResult {
  readonly target: string;
  /** Figures measured on the target, e.g. `{ latencyMs: 1.9, kernelMs: 0.4 }`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Files written into the stage's artifact folder, relative to the run's output folder. */
  readonly files: readonly string[];
  /** Anything else a person or a tool should see in the report. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Which stage is running. */
export interface StageInfo {
  readonly index: number;
  readonly hook: StageHookName;
  /** The plugin's name, or the target's name for `deploy`. */
  readonly plugin: string;
  /** `name` from the config, else `<hook>:<plugin>`. */
  readonly label: string;
}

/** Writes files belonging to the run into its output folder, atomically. */
export interface ArtifactStore {
  /** The output folder (absolute). */
  readonly root: string;
  /** Writes `relativePath` under the current stage's folder; returns the path relative to `root`. */
  writeFile(relativePath: string, data: string | Uint8Array): Promise<string>;
  /** Saves a model into a folder under the current stage's folder; returns the folder relative to `root`. */
  saveModel(relativeDir: string, model: tf.LayersModel): Promise<string>;
}

/**
 * The state a run carries from stage to stage. Stage hooks receive it through `StageCall.ctx`.
 * The current model flows through the hooks' waterfalls; a plugin returns a new model instead of
 * mutating or disposing the one it was given (the runner disposes replaced models).
 */
export interface RunContext {
  readonly model: tf.LayersModel;
  readonly data: DatasetSplits | undefined;
  /** The teacher for distillation: the pipeline's `teacher`, loaded on first use, owned by the runner. */
  teacher(): Promise<tf.LayersModel>;
  readonly scores: ScoreTable | undefined;
  readonly precision: ReadonlyMap<string, LayerPrecision>;
  readonly seed: number;
  readonly backend: BackendChoice;
  readonly logger: Logger;
  readonly artifacts: ArtifactStore;
  /** The folder of the pipeline file; relative paths in options resolve against it. */
  readonly configDir: string;
  /** Tensors derived from the run's teacher and data, computed once for every stage (owned by the run). */
  readonly memo: TensorMemo;
}

/**
 * One invocation of a stage hook: the stage, its validated options (defaults filled in), the run's
 * context, a random stream private to this stage, and a way to add figures to the report.
 */
export interface StageCall<Options = unknown> {
  readonly stage: StageInfo;
  readonly options: Options;
  readonly ctx: RunContext;
  readonly rng: SeededRng;
  /** Adds figures to this stage's record in report.json (e.g. `{ finalLoss: 0.31 }`). */
  record(metrics: Readonly<Record<string, number | string | boolean>>): void;
  /** Sets the precision a `quantize` stage chose for a layer. */
  setPrecision(layer: string, precision: LayerPrecision): void;
  progress(label: string, total: number): ProgressHandle;
}
