import type * as tf from '@tensorflow/tfjs';
import type { PipelineConfig } from '../config/pipeline-config.js';
import type { Examples } from '../data/dataset.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import type { ModelSummary } from '../hooks/run-report.js';

/** Every model summary has these two, whatever the task. */
export const SUMMARY_METRICS = ['params', 'macs'] as const;

/**
 * Checks, before a run writes anything, that the registry can summarise its models: `params` and
 * `macs`, and, when the pipeline has data, its provider's task and every metric the task lists.
 *
 * ```ts
 * checkSummaryProviders(pipeline.config, pipeline.registry); // throws METRIC_MISSING, TASK_UNKNOWN
 * ```
 */
export function checkSummaryProviders(config: PipelineConfig, registry: PluginRegistry): void {
  for (const name of SUMMARY_METRICS) registry.metrics.get(name, { why: 'every model summary has it' });
  if (config.data === undefined) return;
  const data = registry.dataProviders.entry(config.data.provider)?.value;
  if (data === undefined) return; // validation has named it already
  const task = registry.tasks.get(data.task, { why: `data provider "${data.name}" declares task "${data.task}" for its data` });
  for (const name of task.metrics) registry.metrics.get(name, { why: `task "${task.name}" measures it` });
}

/**
 * A model's summary: `params`, `macs`, and on `split` (when given) the metrics of `task`.
 *
 * ```ts
 * const summary = await summarizeModel(model, registry, { task: 'classification', split: splits.validation, batchSize: 256 });
 * summary.metrics['accuracy'];
 * ```
 */
export async function summarizeModel(
  model: tf.LayersModel,
  registry: PluginRegistry,
  evaluation: { readonly task: string; readonly split: Examples; readonly batchSize: number } | undefined,
): Promise<ModelSummary> {
  const [params, macs] = await Promise.all(SUMMARY_METRICS.map((name) => registry.metrics.get(name, { why: 'every model summary has it' }).measure(model, { batchSize: 1, layers: registry })));
  const metrics: Record<string, number> = {};
  if (evaluation !== undefined) {
    for (const name of registry.tasks.get(evaluation.task).metrics) {
      metrics[name] = await registry.metrics.get(name, { why: `task "${evaluation.task}" measures it` }).measure(model, { data: evaluation.split, batchSize: evaluation.batchSize, layers: registry });
    }
  }
  return { params: params as number, macs: macs as number, metrics };
}

/**
 * One line for the log: `a ± b` figures of a summary's metrics (accuracy as a percentage).
 *
 * ```ts
 * formatSummaryMetrics({ accuracy: 0.9123 }); // ", accuracy 91.23%"
 * ```
 */
export function formatSummaryMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics).map(([name, value]) => `, ${name} ${name === 'accuracy' ? `${(value * 100).toFixed(2)}%` : value.toPrecision(4)}`).join('');
}
