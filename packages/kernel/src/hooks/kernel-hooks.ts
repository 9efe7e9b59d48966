import type * as tf from '@tensorflow/tfjs';
import { AsyncSeriesHook, AsyncSeriesWaterfallHook, HookMap, SyncHook } from 'tapable';
import type { RunReport, StageRecord } from './run-report.js';
import type { StageHookName } from './stage-hook-name.js';
import type { DeployResult, RunContext, ScoreTable, StageCall, StageInfo } from './stage-types.js';

/**
 * The value that flows through each stage hook's waterfall: what the first tap receives and every
 * tap returns (as Rollup's `FunctionPluginHooks` types each hook once). The runner's table of how it
 * starts and commits each one is `STAGE_HOOK_TABLE` (runner/stage-hook-table.ts).
 */
export interface StageHookValues {
  readonly score: ScoreTable;
  readonly prune: tf.LayersModel;
  readonly recover: tf.LayersModel;
  readonly distill: tf.LayersModel;
  readonly quantize: tf.LayersModel;
  readonly deploy: DeployResult;
}

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
export type StageHooks = { readonly [H in StageHookName]: StageHook<StageHookValues[H]> };

export interface KernelHooks extends StageHooks {
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
