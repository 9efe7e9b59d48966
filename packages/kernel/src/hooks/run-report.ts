import type { StageHookName } from './stage-hook-name.js';

/** Size and quality of the model after a stage. */
export interface ModelSummary {
  readonly params: number;
  /** Multiply-accumulates for one example (see the `macs` metric provider for what counts). */
  readonly macs: number;
  /**
   * What the data's task measures on the evaluation split, by metric name (e.g. `accuracy` for
   * classification; `l1` and `psnr` for image-to-image). Empty when the run has no data.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** Median latency in ms, when a stage measured it. */
  readonly latencyMs?: number;
}

export interface StageRecord {
  readonly index: number;
  readonly hook: StageHookName;
  readonly plugin: string;
  readonly label: string;
  readonly status: 'completed' | 'failed';
  readonly startedAt: string;
  readonly durationMs: number;
  /** The model after the stage (unchanged stages repeat the previous figures). */
  readonly model?: ModelSummary;
  /** Figures the plugin recorded. */
  readonly metrics: Readonly<Record<string, number | string | boolean>>;
  /** Files written, relative to the output folder. */
  readonly artifacts: readonly string[];
  /** For a failed stage: the error message, with the plugin and hook that raised it. */
  readonly error?: string;
}

/** `report.json`: rewritten atomically after every stage. */
export interface RunReport {
  readonly whittle: string;
  readonly pipeline: string;
  /** SHA-256 of the validated pipeline (defaults filled in); `--resume` refuses a changed pipeline. */
  readonly configHash: string;
  readonly seed: number;
  readonly backend: string;
  readonly startedAt: string;
  /** `interrupted`: stopped by a signal (SIGINT, SIGTERM); `--resume` continues it. */
  readonly status: 'running' | 'completed' | 'failed' | 'interrupted';
  /** The model before the first stage. */
  readonly initial?: ModelSummary;
  /** That model's folder, relative to the output folder (`stages/initial/model`), for reports that compare per layer. */
  readonly initialModel?: string;
  readonly stages: readonly StageRecord[];
  /** The final model's folder, relative to the output folder. */
  readonly finalModel?: string;
}
