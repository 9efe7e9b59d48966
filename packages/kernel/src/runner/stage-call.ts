import type * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../engine/index.js';
import type { DatasetSplits } from '../data/dataset.js';
import { runtimeError } from '../errors/whittle-error.js';
import type { StageHooks, StageHookValues } from '../hooks/kernel-hooks.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { StageCall, StageInfo } from '../hooks/stage-types.js';
import { Kernel } from '../kernel.js';
import type { Logger } from '../logging/logger.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { SeededRng } from '../random/seeded-rng.js';
import { StageArtifactStore } from './artifact-store.js';
import { instantiatePlugins } from './instantiate-plugins.js';
import { runContainer } from './run-container.js';
import { MutableRunContext } from './run-context.js';
import type { RunMemo } from './run-memo.js';
import { STAGE_HOOK_TABLE, type StageCommit, type StageHookSpec } from './stage-hook-table.js';

/** What a run starts from; `runPipeline` and `runStage` both open their run through `openRun`. */
export interface OpenRunInput {
  readonly registry: PluginRegistry;
  readonly logger: Logger;
  readonly seed: number;
  readonly outDir: string;
  readonly configDir: string;
  readonly backend: BackendChoice;
  readonly model: tf.LayersModel;
  readonly data: DatasetSplits | undefined;
  /** The artifact folder before the first stage, relative to `outDir`. */
  readonly artifactsDir: string;
  readonly loadTeacher: () => Promise<tf.LayersModel>;
  readonly memo?: RunMemo;
}

/** A run's kernel, with every plugin resolved from the run's DI container and applied, and its context. */
export function openRun(input: OpenRunInput): { kernel: Kernel; ctx: MutableRunContext } {
  const kernel = new Kernel(input.registry);
  const info = { seed: input.seed, outDir: input.outDir, configDir: input.configDir, backend: input.backend.name };
  instantiatePlugins(kernel, runContainer(kernel, input.logger, info));
  const ctx = new MutableRunContext(
    { model: input.model, artifacts: new StageArtifactStore(input.outDir, input.artifactsDir) },
    input.data,
    input.seed,
    input.backend,
    input.logger,
    input.configDir,
    input.loadTeacher,
    input.memo,
  );
  return { kernel, ctx };
}

/** The `StageCall` a stage's taps receive, and the figures they `record`. */
export function createStageCall(
  stage: StageInfo,
  options: unknown,
  ctx: MutableRunContext,
  seed: number,
  logger: Logger,
): { call: StageCall; metrics: Record<string, number | string | boolean> } {
  const metrics: Record<string, number | string | boolean> = {};
  const call: StageCall = {
    stage,
    options,
    ctx,
    // Each stage has its own stream, so a resumed run draws the same numbers as an uninterrupted one.
    rng: SeededRng.from(seed, `stage-${stage.index}`),
    record: (m) => Object.assign(metrics, m),
    setPrecision: (layer, precision) => ctx.precision.set(layer, precision),
    progress: (label, total) => logger.progress(label, total),
  };
  return { call, metrics };
}

/** What a stage hook returned, not yet written into the run. */
export interface StageOutcome<Value = unknown> {
  readonly value: Value;
  /** What the plugin passed to `call.record`. */
  readonly metrics: Record<string, number | string | boolean>;
  /** See `StageHookSpec.changesModel`. */
  readonly changesModel: boolean;
  /** Writes the value into the run's context (the new model, the scores) and says what the record gains. */
  commit(): StageCommit;
}

/**
 * Calls `kernel.hooks[hook].for(plugin)` with the value the hook starts from (`STAGE_HOOK_TABLE`),
 * and checks that what comes back is of the hook's kind. Nothing is committed yet.
 */
export async function callStage(kernel: Kernel, ctx: MutableRunContext, { call, metrics }: ReturnType<typeof createStageCall>): Promise<StageOutcome> {
  return invokeStageHook(kernel, call.stage.hook, call, ctx, metrics);
}

async function invokeStageHook<H extends StageHookName>(
  kernel: Kernel,
  hook: H,
  call: StageCall,
  ctx: MutableRunContext,
  metrics: Record<string, number | string | boolean>,
): Promise<StageOutcome<StageHookValues[H]>> {
  const spec: StageHookSpec<StageHookValues[H]> = STAGE_HOOK_TABLE[hook];
  const hooks: StageHooks = kernel.hooks;
  const value = await hooks[hook].for(call.stage.plugin).promise(spec.start(ctx, call.stage), call);
  if (!spec.accepts(value)) {
    throw runtimeError('PLUGIN_RESULT_INVALID', `returned something other than ${spec.kind}`, 'Stage hooks return the value they were given, or a new one of the same kind.');
  }
  return { value, metrics, changesModel: spec.changesModel, commit: () => spec.commit(value, ctx) };
}
