import type * as tf from '@tensorflow/tfjs';
import { container as rootContainer } from 'tsyringe';
import { runtimeError } from '../errors/whittle-error.js';
import type { Kernel } from '../kernel.js';
import type { Logger } from '../logging/logger.js';
import { KERNEL, LOGGER, RUN_INFO, type RunInfo } from '../plugin/tokens.js';
import { SeededRng } from '../random/seeded-rng.js';
import { instantiatePlugins } from './instantiate-plugins.js';
import type { MutableRunContext } from './run-context.js';
import type { DeployResult, ScoreTable, StageCall, StageInfo } from './stage-types.js';

/** One child DI container per run with the run's services, every registered plugin resolved and applied. */
export function applyRunPlugins(kernel: Kernel, logger: Logger, info: RunInfo): void {
  const container = rootContainer.createChildContainer();
  container.registerInstance(KERNEL, kernel);
  container.registerInstance(LOGGER, logger);
  container.registerInstance(RUN_INFO, info);
  instantiatePlugins(kernel, container);
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

export type StageResult = { kind: 'model'; model: tf.LayersModel } | { kind: 'scores'; scores: ScoreTable } | { kind: 'deploy'; deploy: DeployResult };

/** Calls `kernel.hooks[hook].for(plugin)` with the value the hook works on, and checks what comes back. */
export async function invokeStageHook(kernel: Kernel, call: StageCall): Promise<StageResult> {
  const { hook, plugin } = call.stage;
  const ctx = call.ctx;
  const bad = (what: string): never => {
    throw runtimeError('PLUGIN_RESULT_INVALID', `returned ${what}`, 'Stage hooks return the value they were given, or a new one of the same kind.');
  };
  if (hook === 'score') {
    const scores = await kernel.hooks.score.for(plugin).promise(ctx.scores ?? new Map(), call);
    return scores instanceof Map ? { kind: 'scores', scores } : bad('something other than a score table (a Map)');
  }
  if (hook === 'deploy') {
    const deploy = await kernel.hooks.deploy.for(plugin).promise({ target: plugin, metrics: {}, files: [] }, call);
    return typeof deploy === 'object' && deploy !== null && typeof deploy.metrics === 'object' ? { kind: 'deploy', deploy } : bad('something other than a deploy result');
  }
  const model = await kernel.hooks[hook].for(plugin).promise(ctx.model, call);
  const looksLikeModel = typeof model === 'object' && model !== null && typeof (model as Partial<tf.LayersModel>).predict === 'function' && Array.isArray((model as Partial<tf.LayersModel>).layers);
  return looksLikeModel ? { kind: 'model', model } : bad('something other than a LayersModel');
}
