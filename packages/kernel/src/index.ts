/**
 * @whittle/kernel — hooks, the plugin contract, DI tokens, pipeline validation and the runner,
 * the data contract (providers live in @whittle/data), and the contracts of latency models, metric
 * providers and tasks (implementations in @whittle/metrics and plugins). Model files are read and
 * written by @whittle/model-io.
 */
import 'reflect-metadata';
// Its entry applies the tfjs serialisation fixes, before any model is loaded or saved.
import '@whittle/model-io';

export { KERNEL_VERSION } from './version.js';
export { Kernel } from './kernel.js';
export * from './errors/whittle-error.js';
export * from './random/seeded-rng.js';
export * from './logging/logger.js';

export * from './hooks/stage-hook-name.js';
export type * from './hooks/kernel-hooks.js';
export type * from './hooks/stage-types.js';
export type * from './hooks/run-report.js';
export type * from './hooks/tensor-memo.js';

export * from './plugin/plugin.js';
export * from './plugin/options-schema.js';
export * from './plugin/tap-stage.js';
export { compileOptionsSchema } from './plugin/compile-options-schema.js';
/** TypeBox, re-exported so that a plugin declares its options schema (and with it their type) with the kernel's copy. */
export { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
export * from './plugin/tokens.js';
export type * from './providers/latency-model.js';
export type * from './providers/metric-provider.js';
export type * from './providers/task.js';
export type { LayerOperationSource, RegisteredLayerOperation } from './providers/layer-operation-registration.js';
/** tsyringe's decorators, re-exported so that a plugin uses the kernel's DI instance. */
export { inject, injectable } from 'tsyringe';
export { PluginError } from './plugin/plugin-error.js';
export { PluginRegistry, type PluginRegistryOptions } from './plugin/plugin-registry.js';
export { Providers, type ProviderKind, type ProviderLookup, type Registered } from './plugin/providers.js';
export { loadPluginManifests, packageFolder, type LoadPluginsOptions } from './plugin/load-plugins.js';

export { stagePluginName } from './config/pipeline-config.js';
export type * from './config/pipeline-config.js';
export { ConfigError, type ConfigIssue } from './config/config-error.js';
export { pipelineSchema } from './config/pipeline-schema.js';
export { validatePipelineShape, validatePipelineAgainstPlugins } from './config/validate-pipeline.js';
export { composePipelineSchema } from './config/compose-schema.js';
export { loadPipeline, type LoadedPipeline, type LoadPipelineOverrides, type PipelineSource } from './config/load-pipeline.js';
export { checkPipelineInputs, type CheckedInputs } from './config/check-pipeline-inputs.js';
export { jsonValueIssues } from './config/json-value-issues.js';
export { closest, didYouMean } from './config/did-you-mean.js';

export { runPipeline, REPORT_FILE, RUN_INTERRUPTED, RunInterruptedError, type RunPipelineOptions } from './runner/run-pipeline.js';
export { checkSummaryProviders, formatSummaryMetrics, summarizeModel } from './runner/model-summary.js';
export { LOCK_FILE } from './runner/out-dir-lock.js';
export { PREVIOUS_PREFIX, readRunReport } from './runner/out-dir.js';
export { RunMemo } from './runner/run-memo.js';
export { runStage, type RunStageInput, type RunStageOutput } from './testing/run-stage.js';

export type * from './data/dataset.js';
export * from './data/task-data.js';
export * from './engine/index.js';
export * from './models/model-builder.js';
