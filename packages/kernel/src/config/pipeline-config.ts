import type { DataCommonOptions } from '../data/dataset.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';

/** Where the run's model comes from: a TensorFlow.js model file, or a registered builder. */
export type ModelSource =
  | { readonly path: string }
  | { readonly builder: string; readonly options?: Readonly<Record<string, unknown>> };

/** The teacher for distillation: a model source, or the model as it was after an earlier stage. */
export type TeacherSource = ModelSource | { readonly stage: number };

export interface DataConfig extends DataCommonOptions {
  readonly provider: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface StageConfig {
  readonly hook: StageHookName;
  /** The plugin serving the hook; for `deploy`, use `target` instead. */
  readonly plugin?: string;
  /** The deploy target's name (only with `"hook": "deploy"`). */
  readonly target?: string;
  /** A label for logs and the report. */
  readonly name?: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A pipeline file, as validated (defaults filled in). */
export interface PipelineConfig {
  readonly $schema?: string;
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  readonly backend: 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
  readonly plugins: readonly string[];
  readonly model: ModelSource;
  readonly teacher?: TeacherSource;
  readonly data?: DataConfig;
  readonly evaluate: { readonly split: 'test' | 'validation'; readonly batchSize: number };
  readonly stages: readonly StageConfig[];
}

/** The plugin or target a stage names. */
export function stagePluginName(stage: StageConfig): string {
  return (stage.hook === 'deploy' ? stage.target : stage.plugin) ?? '';
}
