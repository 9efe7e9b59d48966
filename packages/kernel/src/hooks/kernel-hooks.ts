import type * as tf from '@tensorflow/tfjs';
import { AsyncSeriesHook, AsyncSeriesWaterfallHook, HookMap, SyncHook } from 'tapable';
import type { RunReport, StageRecord } from '../runner/run-report.js';
import type { DeployResult, RunContext, ScoreTable, StageCall, StageInfo } from '../runner/stage-types.js';

/** A stage hook: keyed by plugin name (target name for `deploy`), each key a waterfall over what the hook produces. */
export type StageHook<Value> = HookMap<AsyncSeriesWaterfallHook<[Value, StageCall]>>;

/**
 * The kernel's hooks, declared once (as webpack's `Compiler.hooks`). A stage `{ hook, plugin }` calls
 * `hooks[hook].for(plugin)` with the current value; the taps of that key run in order, each receiving
 * what the previous one returned, so a second plugin can refine a first one's result.
 *
 * - `score`: importance per dependency group.
 * - `prune`, `recover`, `distill`, `quantize`: the model in, a (new) model out.
 * - `deploy`: keyed by target name; measures or exports the model for that target.
 * - `beforeStage`, `afterStage`, `report`: lifecycle, for observers such as progress reporters.
 */
export interface KernelHooks {
  readonly score: StageHook<ScoreTable>;
  readonly prune: StageHook<tf.LayersModel>;
  readonly recover: StageHook<tf.LayersModel>;
  readonly distill: StageHook<tf.LayersModel>;
  readonly quantize: StageHook<tf.LayersModel>;
  readonly deploy: StageHook<DeployResult>;
  readonly beforeStage: AsyncSeriesHook<[StageInfo, RunContext]>;
  readonly afterStage: AsyncSeriesHook<[StageRecord, RunContext]>;
  readonly report: SyncHook<[RunReport]>;
}

function stageHook<Value>(): StageHook<Value> {
  return new HookMap(() => new AsyncSeriesWaterfallHook<[Value, StageCall]>(['value', 'call']));
}

export function createKernelHooks(): KernelHooks {
  return Object.freeze({
    score: stageHook<ScoreTable>(),
    prune: stageHook<tf.LayersModel>(),
    recover: stageHook<tf.LayersModel>(),
    distill: stageHook<tf.LayersModel>(),
    quantize: stageHook<tf.LayersModel>(),
    deploy: stageHook<DeployResult>(),
    beforeStage: new AsyncSeriesHook<[StageInfo, RunContext]>(['stage', 'ctx']),
    afterStage: new AsyncSeriesHook<[StageRecord, RunContext]>(['record', 'ctx']),
    report: new SyncHook<[RunReport]>(['report']),
  });
}
