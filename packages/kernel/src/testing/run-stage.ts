import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice, BackendName } from '../backend/index.js';
import { ConfigError } from '../config/config-error.js';
import { validateOptions } from '../config/validate-pipeline.js';
import type { DatasetSplits } from '../data/dataset.js';
import { Kernel } from '../kernel.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { definePluginManifest, type PluginClass, type PluginManifest } from '../plugin/plugin.js';
import { PluginRegistry } from '../plugin/plugin-registry.js';
import { StageArtifactStore } from '../runner/artifact-store.js';
import { MutableRunContext } from '../runner/run-context.js';
import type { RunMemo } from '../runner/run-memo.js';
import { applyRunPlugins, createStageCall, invokeStageHook } from '../runner/stage-call.js';
import type { ScoreTable } from '../runner/stage-types.js';
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
  /**
   * Shared by several calls (e.g. one teacher's logits for many `kd` stages); the caller disposes it.
   * By default a memo of this call's own, freed when it returns.
   */
  readonly memo?: RunMemo;
  /**
   * Manifests whose providers the plugin may ask the registry for (latency models, metrics,
   * tasks), as a pipeline's `plugins` and the runner's default manifests would give them.
   */
  readonly manifests?: readonly PluginManifest[];
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

  const registry = new PluginRegistry([
    ...(input.manifests ?? []),
    definePluginManifest({ name: `runStage:${name}`, version: KERNEL_VERSION, kernel: KERNEL_VERSION, plugins: [Plugin] }),
  ]);
  const kernel = new Kernel(registry);
  const logger = input.logger ?? silentLogger;
  const outDir = input.outDir ?? mkdtempSync(join(tmpdir(), 'whittle-stage-'));
  const seed = input.seed ?? 0;
  // Whatever backend the caller activated (runStage selects none).
  const backend: BackendChoice = { name: tf.getBackend() as BackendName, summary: `runStage on ${tf.getBackend()}`, tried: [] };
  applyRunPlugins(kernel, logger, { seed, outDir, configDir: outDir, backend: backend.name });

  const ctx = new MutableRunContext({ model: input.model, artifacts: new StageArtifactStore(outDir, 'stages/00') }, input.data, seed, backend, logger, outDir, async () => {
    if (input.teacher === undefined) throw new Error(`runStage: plugin "${name}" asked for a teacher; pass one`);
    return input.teacher;
  }, input.memo);
  ctx.scores = input.scores;
  const { call, metrics } = createStageCall({ index: 0, hook, plugin: name, label: `${hook}:${name}` }, options, ctx, seed, logger);
  let result: Awaited<ReturnType<typeof invokeStageHook>>;
  try {
    result = await invokeStageHook(kernel, call);
  } finally {
    if (input.memo === undefined) ctx.memo.dispose();
  }
  const value = result.kind === 'model' ? result.model : result.kind === 'scores' ? result.scores : result.deploy;
  return { value: value as Value, metrics };
}
