import type * as tf from '@tensorflow/tfjs';
import type { Examples } from '../data/dataset.js';
import type { LayerOperationSource } from './layer-operation-registration.js';

/** What a metric is measured on: the evaluation split (for metrics that need data) and a batch size. */
export interface MetricInput {
  /** The evaluation split, for metrics that need data; absent for model-only metrics. */
  readonly data?: Examples;
  /** Examples predicted at a time. */
  readonly batchSize: number;
  /** The run's custom layer operations, for metrics that read layer operations (MACs of a custom layer). */
  readonly layers?: LayerOperationSource;
}

/**
 * A named metric, registered by a manifest's `metrics`: params and MACs for every model, and the
 * metrics a task lists (accuracy for classification, L1 and PSNR for image-to-image) for models
 * the run has data for. `ModelSummary.metrics` holds what the task's providers measured.
 *
 * ```ts
 * const meanOutput: MetricProvider = {
 *   name: 'mean-output', description: 'mean of the outputs', needsData: true, better: 'higher',
 *   measure: (model, { data }) => tf.tidy(() => (model.predict(data!.x) as tf.Tensor).mean().dataSync()[0]!),
 * };
 * ```
 */
export interface MetricProvider {
  readonly name: string;
  readonly description: string;
  /** Whether it is measured on data (accuracy, PSNR) or on the model alone (params, MACs). */
  readonly needsData: boolean;
  /** Which way is better, for early stopping and comparisons. */
  readonly better: 'higher' | 'lower';
  measure(model: tf.LayersModel, input: MetricInput): number | Promise<number>;
}
