import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice, BackendName } from '../backend/index.js';
import { ConfigError } from '../config/config-error.js';
import { validateOptions } from '../config/validate-pipeline.js';
import type { DatasetSplits } from '../data/dataset.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { definePluginManifest, type PluginClass, type PluginManifest } from '../plugin/plugin.js';
import { PluginRegistry } from '../plugin/plugin-registry.js';
import type { RunMemo } from '../runner/run-memo.js';
import { callStage, createStageCall, openRun } from '../runner/stage-call.js';
import type { ScoreTable } from '../hooks/stage-types.js';
import { KERNEL_VERSION } from '../version.js';

export interface RunStageInput {
  readonly model: tf.LayersModel;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly data?: DatasetSplits;
  readonly scores?: ScoreTable;
  readonly teacher?: tf.LayersModel;
  readonly seed?: number;
  readonly logger?: Logger;
  /**
   * Where artifacts go (kept). By default a fresh temporary folder (`whittle-stage-*`), removed when
   * the call returns: pass `outDir` to read what the stage wrote.
   */
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

  const tempDir = input.outDir === undefined ? mkdtempSync(join(tmpdir(), 'whittle-stage-')) : undefined;
  try {
    return await runStageIn<Value>(Plugin, hook, input, options, tempDir ?? input.outDir!);
  } finally {
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function runStageIn<Value>(Plugin: PluginClass, hook: StageHookName, input: RunStageInput, options: Record<string, unknown>, outDir: string): Promise<RunStageOutput<Value>> {
  const { name } = Plugin.meta;
  const registry = new PluginRegistry([
    ...(input.manifests ?? []),
    definePluginManifest({ name: `runStage:${name}`, version: KERNEL_VERSION, kernel: KERNEL_VERSION, plugins: [Plugin] }),
  ]);
  const logger = input.logger ?? silentLogger;
  const seed = input.seed ?? 0;
  // Whatever backend the caller activated (runStage selects none).
  const backend: BackendChoice = { name: tf.getBackend() as BackendName, summary: `runStage on ${tf.getBackend()}`, tried: [] };
  const { kernel, ctx } = openRun({
    registry,
    logger,
    seed,
    outDir,
    configDir: outDir,
    backend,
    model: input.model,
    data: input.data,
    artifactsDir: 'stages/00',
    loadTeacher: async () => {
      if (input.teacher === undefined) throw new Error(`runStage: plugin "${name}" asked for a teacher; pass one`);
      return input.teacher;
    },
    ...(input.memo === undefined ? {} : { memo: input.memo }),
  });
  ctx.scores = input.scores;
  try {
    const { value, metrics } = await callStage(kernel, ctx, createStageCall({ index: 0, hook, plugin: name, label: `${hook}:${name}` }, options, ctx, seed, logger));
    return { value: value as Value, metrics };
  } finally {
    if (input.memo === undefined) ctx.memo.dispose();
  }
}
