import type * as tf from '@tensorflow/tfjs';
import type { StageHookValues } from '../hooks/kernel-hooks.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { DeployResult, RunContext, ScoreTable, StageInfo } from '../hooks/stage-types.js';

/** The run state a stage's result is committed to (the runner's `MutableRunContext`). */
export interface CommitTarget {
  model: tf.LayersModel;
  scores: ScoreTable | undefined;
}

/** What committing a stage's result adds to its record beyond the run state. */
export interface StageCommit {
  /** Figures for the record's `metrics` (a deploy target's measurements). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Files the stage wrote, relative to the output folder. */
  readonly files?: readonly string[];
  /** Median latency for the record's model summary. */
  readonly latencyMs?: number;
}

/** How the runner drives one stage hook: its first value, what its taps must return, how the result is committed. */
export interface StageHookSpec<Value> {
  /** The value the waterfall starts from. */
  start(ctx: RunContext, stage: StageInfo): Value;
  /** Whether a tap returned a value of the hook's kind (plugins may be plain JavaScript). */
  accepts(value: unknown): boolean;
  /** The kind, for the error when `accepts` refuses. */
  readonly kind: string;
  /** Writes the result into the run's state. */
  commit(value: Value, run: CommitTarget): StageCommit;
  /**
   * Whether the model after the stage is a new one to checkpoint and measure. Model stages may
   * train in place, so for them it always counts as changed.
   */
  readonly changesModel: boolean;
}

const isModel = (value: unknown): value is tf.LayersModel =>
  typeof value === 'object' && value !== null && typeof (value as Partial<tf.LayersModel>).predict === 'function' && Array.isArray((value as Partial<tf.LayersModel>).layers);

const modelHook: StageHookSpec<tf.LayersModel> = {
  start: (ctx) => ctx.model,
  accepts: isModel,
  kind: 'a LayersModel',
  commit: (model, run) => {
    run.model = model;
    return {};
  },
  changesModel: true,
};

/**
 * One row per stage hook (Rollup's `FunctionPluginHooks` is the model): the runner and `runStage`
 * read this table instead of branching on hook names. A new stage hook is a row here and a value
 * type in `StageHookValues`.
 */
export const STAGE_HOOK_TABLE: { readonly [H in StageHookName]: StageHookSpec<StageHookValues[H]> } = {
  score: {
    start: (ctx) => ctx.scores ?? new Map(),
    accepts: (value) => value instanceof Map,
    kind: 'a score table (a Map)',
    commit: (scores, run) => {
      run.scores = scores;
      return {};
    },
    changesModel: false,
  },
  prune: modelHook,
  recover: modelHook,
  distill: modelHook,
  quantize: modelHook,
  deploy: {
    start: (_ctx, stage): DeployResult => ({ target: stage.plugin, metrics: {}, files: [] }),
    accepts: (value) => typeof value === 'object' && value !== null && typeof (value as Partial<DeployResult>).metrics === 'object',
    kind: 'a deploy result',
    commit: (deploy) => ({ metrics: deploy.metrics, files: deploy.files, ...(deploy.metrics['latencyMs'] === undefined ? {} : { latencyMs: deploy.metrics['latencyMs'] }) }),
    changesModel: false,
  },
};
