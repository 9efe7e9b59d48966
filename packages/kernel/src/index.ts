/**
 * @whittle/kernel — hooks, the plugin contract, DI tokens, pipeline validation and the runner,
 * the data contract (providers live in @whittle/data), and the contracts of latency models, metric
 * providers and tasks (implementations in @whittle/metrics and plugins). Model files are read and
 * written by @whittle/model-io.
 */

// Everything a browser build has (the contract, hooks, errors, DI, providers: ./browser.ts, which
// also loads reflect-metadata and model-io's tfjs serialisation fixes), plus what reads and writes files.
export * from './browser.js';

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

export { runPipeline, REPORT_FILE, RUN_INTERRUPTED, RunInterruptedError, type RunPipelineOptions } from './runner/run-pipeline.js';
export { checkSummaryProviders, formatSummaryMetrics, summarizeModel } from './runner/model-summary.js';
export { LOCK_FILE } from './runner/out-dir-lock.js';
export { PREVIOUS_PREFIX, readRunReport } from './runner/out-dir.js';
export { RunMemo } from './runner/run-memo.js';
export { runStage, type RunStageInput, type RunStageOutput } from './testing/run-stage.js';
