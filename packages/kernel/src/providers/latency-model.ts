import type * as tf from '@tensorflow/tfjs';
import type { Logger } from '../logging/logger.js';

/**
 * Latency (ms) of one model as a function of its dependency groups' widths (group id → kept
 * channels; a group not in the map keeps all of its channels). What a latency-budgeted pruner
 * optimises against. The caller may change the map after the call, so an implementation must not keep it.
 *
 * ```ts
 * const linear: WidthLatency = { predict: (widths) => 0.1 + 1e-3 * (widths.get('conv1') ?? 16) };
 * linear.predict(new Map([['conv1', 8]])); // 0.108
 * ```
 */
export interface WidthLatency {
  predict(widths: ReadonlyMap<string, number>): number;
}

/** A latency model's estimate for one model: predictions at any widths, and what it cost to make. */
export interface LatencyEstimate extends WidthLatency {
  /**
   * Latency of a channel-pruned copy of the estimated model, measured on the target on the same
   * clock as `predict` (so that a pruner can calibrate its budget). Absent for analytic models,
   * whose predictions are the figure itself.
   */
  measure?(pruned: tf.LayersModel): Promise<number>;
  /** Figures for the stage's record in report.json (e.g. `{ tableEntries: 120 }`). */
  readonly figures: Readonly<Record<string, number>>;
  /** Text files worth keeping as stage artifacts, by file name (e.g. a measured latency table). */
  readonly artifacts: Readonly<Record<string, string>>;
}

/** What a latency model is asked to estimate or measure with: the target and the measuring effort. */
export interface LatencyRequest {
  /** Batch size the latency is for. */
  readonly batchSize: number;
  /** Channel step g the pruner moves widths in (a table-based model measures at these widths). */
  readonly step: number;
  /** For models that time things (analytic ones ignore it): untimed runs, timed runs, most measured widths per layer side, clock, statistic. */
  readonly timing: {
    readonly warmup: number;
    readonly runs: number;
    readonly maxGridPoints: number;
    readonly clock: 'wall' | 'kernel';
    readonly statistic?: 'median' | 'p10';
  };
  /** An absolute path of earlier measurements to start from (for models that keep tables). */
  readonly tableFile?: string;
  /** The GPU adapter description, where there is one (WebGPU). */
  readonly adapter: string | null;
  readonly logger: Logger;
}

/** What `profile` found: a table written to `out`, and a report to print. */
export interface LatencyProfile {
  /** A person-readable summary of what was measured and how well it predicts. */
  readonly text: string;
  /** The same as JSON. */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * A named latency model, registered by a manifest's `latencyModels` and chosen by name (e.g.
 * `latency-knapsack`'s `"latencyModel": "tfjs-profiler"`): the bridge between pruning and a
 * hardware target. A measured model (the tfjs profiler, ONNX Runtime) times layers or models on
 * the target; an analytic one (an FPGA DSP/LUT model, MACs) computes them from shapes.
 *
 * ```ts
 * const macsModel: LatencyModel = {
 *   name: 'macs', description: 'ms proportional to MACs',
 *   async estimate(model) { return { predict: (widths) => 1e-6 * macsAt(model, widths), figures: {}, artifacts: {} }; },
 * };
 * ```
 */
export interface LatencyModel {
  readonly name: string;
  readonly description: string;
  /** Prepares predictions for `model` at any group widths (a measured model measures what it needs now). */
  estimate(model: tf.LayersModel, request: LatencyRequest): Promise<LatencyEstimate>;
  /** Whole-model latency (ms) on the target. Absent for analytic models. */
  measure?(model: tf.LayersModel, request: LatencyRequest): Promise<number>;
  /**
   * `whittle profile`: measures what predictions need (e.g. a per-layer table), writes it to
   * `out`, and reports how well it predicts. Absent for models with nothing to measure.
   */
  profile?(model: tf.LayersModel, request: LatencyRequest & { readonly out: string; readonly seed: number }): Promise<LatencyProfile>;
}
