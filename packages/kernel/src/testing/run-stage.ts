import 'reflect-metadata';
import type * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import type { BackendChoice } from '../backend/index.js';
import { ConfigError } from '../config/config-error.js';
import { validateOptions } from '../config/validate-pipeline.js';
import type { DatasetSplits } from '../data/dataset.js';
import { Kernel } from '../kernel.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { definePluginManifest, type PluginClass } from '../plugin/plugin.js';
import { PluginRegistry } from '../plugin/plugin-registry.js';
import { KERNEL, LOGGER, RUN_INFO, type RunInfo } from '../plugin/tokens.js';
import { SeededRng } from '../random/seeded-rng.js';
import { StageArtifactStore } from '../runner/artifact-store.js';
import { instantiatePlugins } from '../runner/instantiate-plugins.js';
import { MutableRunContext } from '../runner/run-context.js';
import type { DeployResult, ScoreTable, StageCall } from '../runner/stage-types.js';
import { KERNEL_VERSION } from '../version.js';

export interface RunStageInput {
  readonly model: tf.LayersModel;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly data?: DatasetSplits;
  readonly scores?: ScoreTable;
  readonly teacher?: tf.LayersModel;
  readonly seed?: number;
  readonly logger?: Logger;
  /** Where artifacts go; a fresh temporary folder by default. */
  readonly outDir?: string;
}

export interface RunStageOutput<Value> {
  readonly value: Value;
  /** What the plugin passed to `call.record`. */
  readonly metrics: Readonly<Record<string, number | string | boolean>>;
}

/**
 * Runs one plugin's stage outside a pipeline, as the runner would (DI container, validated options
 * with defaults, the stage's seeded random stream) — for testing plugins. The caller keeps ownership
 * of `model`, `data` and `teacher`; a returned model that differs from `model` is the caller's too.
 *
 * ```ts
 * const { value: scores } = await runStage(L1NormScore, { model });
 * const { value: pruned } = await runStage(UniformPrune, { model, scores, options: { ratio: 0.5 } });
 * ```
 */
export async function runStage<Value = tf.LayersModel>(Plugin: PluginClass, input: RunStageInput): Promise<RunStageOutput<Value>> {
  const { hook, name } = Plugin.meta;
  if (hook === undefined) throw new Error(`runStage: plugin "${name}" serves no stage hook`);
  let options: Record<string, unknown> = {};
  const issues = validateOptions(Plugin.meta.optionsSchema, input.options ?? {}, '/options', (o) => (options = o));
  if (issues.length > 0) throw new ConfigError(`runStage(${name})`, issues);

  const registry = new PluginRegistry([definePluginManifest({ name: `runStage:${name}`, version: KERNEL_VERSION, kernel: KERNEL_VERSION, plugins: [Plugin] })]);
  const kernel = new Kernel(registry);
  const logger = input.logger ?? silentLogger;
  const outDir = input.outDir ?? mkdtempSync(join(tmpdir(), 'whittle-stage-'));
  const seed = input.seed ?? 0;
  const backend: BackendChoice = { name: 'cpu', summary: 'runStage', tried: [] };
  const child = container.createChildContainer();
  const info: RunInfo = { seed, outDir, configDir: outDir, backend: backend.name };
  child.registerInstance(KERNEL, kernel);
  child.registerInstance(LOGGER, logger);
  child.registerInstance(RUN_INFO, info);
  instantiatePlugins(kernel, child);

  const ctx = new MutableRunContext({ model: input.model, artifacts: new StageArtifactStore(outDir, 'stages/00') }, input.data, seed, backend, logger, outDir, async () => {
    if (input.teacher === undefined) throw new Error(`runStage: plugin "${name}" asked for a teacher; pass one`);
    return input.teacher;
  });
  ctx.scores = input.scores;
  const metrics: Record<string, number | string | boolean> = {};
  const call: StageCall = {
    stage: { index: 0, hook, plugin: name, label: `${hook}:${name}` },
    options,
    ctx,
    rng: SeededRng.from(seed, 'stage-0'),
    record: (m) => Object.assign(metrics, m),
    setPrecision: (layer, p) => ctx.precision.set(layer, p),
    progress: (label, total) => logger.progress(label, total),
  };
  let value: unknown;
  if (hook === 'score') value = await kernel.hooks.score.for(name).promise(input.scores ?? new Map(), call);
  else if (hook === 'deploy') value = await kernel.hooks.deploy.for(name).promise({ target: name, metrics: {}, files: [] } satisfies DeployResult, call);
  else value = await kernel.hooks[hook].for(name).promise(input.model, call);
  return { value: value as Value, metrics };
}
