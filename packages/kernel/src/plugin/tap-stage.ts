import type { StageHook, StageHookValues } from '../hooks/kernel-hooks.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { Kernel } from '../kernel.js';
import type { StageCall } from '../hooks/stage-types.js';
import type { OptionsSchema, StageOptions } from './options-schema.js';
import type { PluginMeta } from './plugin.js';

/** The value that flows through a stage hook's waterfall: a model, a score table or a deploy result. */
export type StageHookValue<Hook extends StageHookName> = StageHookValues[Hook];

/** A stage plugin's tap, its options typed by the plugin's schema (defaults filled in). */
export type StageTap<Hook extends StageHookName, Schema extends OptionsSchema> = (value: StageHookValue<Hook>, call: StageCall<StageOptions<Schema>>) => Promise<StageHookValue<Hook>>;

/**
 * Taps `kernel.hooks[meta.hook].for(meta.name)` with `tap`, whose `call.options` has the type of
 * `meta.optionsSchema` — no cast in the plugin. The runner (and `runStage`) validate every stage's
 * options against that same schema, defaults filled in, before the hook is called.
 *
 * ```ts
 * apply(kernel: Kernel): void {
 *   tapStage(kernel, ZeroSmall.meta, async (model, call) => zeroBelow(model, call.options.threshold));
 * }
 * ```
 */
export function tapStage<Hook extends StageHookName, Schema extends OptionsSchema>(kernel: Kernel, meta: PluginMeta<Schema, Hook> & { readonly hook: Hook }, tap: StageTap<Hook, Schema>): void {
  // The hooks map is keyed by name, so TypeScript cannot narrow kernel.hooks[hook] by a generic hook.
  const hook = kernel.hooks[meta.hook] as unknown as StageHook<StageHookValue<Hook>>;
  // Options were validated against meta.optionsSchema, which is what StageOptions<Schema> describes.
  hook.for(meta.name).tapPromise(meta.name, tap as (value: StageHookValue<Hook>, call: StageCall) => Promise<StageHookValue<Hook>>);
}
