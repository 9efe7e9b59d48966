import type { DataProvider } from '../data/dataset.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { ModelBuilder } from '../models/model-builder.js';
import type { Kernel } from '../kernel.js';
import type { OptionsSchema } from './options-schema.js';
import type { LatencyModel } from '../providers/latency-model.js';
import type { MetricProvider } from '../providers/metric-provider.js';
import type { TaskDefinition } from '../providers/task.js';
import type { LayerOperationRegistration } from '../providers/layer-operation-registration.js';

export type { LayerOperationRegistration } from '../providers/layer-operation-registration.js';

export type { OptionsSchema } from './options-schema.js';

/**
 * What the kernel knows about a plugin before instantiating it. `Schema` is the options schema's own
 * type (a TypeBox `TObject`), so `tapStage` can type `call.options` from it.
 */
export interface PluginMeta<Schema extends OptionsSchema = OptionsSchema, Hook extends StageHookName | undefined = StageHookName | undefined> {
  /** The name a pipeline stage uses (`"plugin": "train"`), or the deploy target's name for `deploy`. */
  readonly name: string;
  /**
   * The one stage hook this plugin serves. Without one, the plugin is an observer: it taps lifecycle
   * hooks (or other plugins' keys) and is never named by a stage.
   */
  readonly hook?: Hook;
  readonly description: string;
  /**
   * JSON Schema of the stage's `options`, checked by ajv in strict mode when the package loads;
   * defaults are filled in before the stage runs. Declare it with TypeBox (`Type.Object({...},
   * { additionalProperties: false })`, `withDefault`) so that it is also the options' type.
   */
  readonly optionsSchema: Schema;
  /** What the stage needs from the run (scores from an earlier score stage, a teacher, data); checked before anything runs. */
  readonly requires?: readonly ('scores' | 'teacher' | 'data')[];
  /**
   * Options that name a file the stage writes into its own folder of the run, as key paths into the
   * options (e.g. `[['table', 'out']]`); checked before anything runs, as the artifact store checks
   * them when it writes.
   */
  readonly artifactPathOptions?: readonly (readonly string[])[];
}

/**
 * A stage plugin's meta with its hook and options schema kept as types (identity at run time), for
 * `tapStage` to infer the value and options of the plugin's taps.
 *
 * ```ts
 * static readonly meta = definePluginMeta({
 *   name: 'zero-small', hook: 'quantize', description: 'zero weights below a threshold',
 *   optionsSchema: Type.Object({ threshold: withDefault(Type.Number({ minimum: 0 }), 1e-3) }, { additionalProperties: false }),
 * });
 * ```
 */
export function definePluginMeta<Hook extends StageHookName, Schema extends OptionsSchema>(meta: PluginMeta<Schema, Hook> & { readonly hook: Hook }): PluginMeta<Schema, Hook> & { readonly hook: Hook } {
  return meta;
}

/**
 * A plugin instance: resolved from the run's DI container (so its constructor receives services through
 * `@inject(TOKEN)`), then `apply(kernel)` taps `kernel.hooks[meta.hook].for(meta.name)` (`tapStage`).
 *
 * ```ts
 * @injectable()
 * export class NoopRecover implements WhittlePlugin {
 *   static readonly meta = definePluginMeta({ name: 'noop', hook: 'recover', description: 'does nothing', optionsSchema: Type.Object({}) });
 *   readonly name = NoopRecover.meta.name;
 *   constructor(@inject(LOGGER) private readonly logger: Logger) {}
 *   apply(kernel: Kernel): void {
 *     tapStage(kernel, NoopRecover.meta, async (model) => model);
 *   }
 * }
 * ```
 */
export interface WhittlePlugin {
  readonly name: string;
  apply(kernel: Kernel): void;
}

/** A plugin class: constructible by the DI container and carrying its static `meta`. */
export interface PluginClass {
  // tsyringe resolves constructor arguments; their types are the plugin's business.
  new (...args: never[]): WhittlePlugin;
  readonly meta: PluginMeta;
}


/**
 * The default export of a plugin package: what it provides and which kernels it supports.
 *
 * ```ts
 * export default definePluginManifest({
 *   name: '@acme/whittle-plugin-noop', version: '1.0.0', kernel: '^0.1.0', plugins: [NoopRecover],
 * });
 * ```
 */
export interface PluginManifest {
  readonly name: string;
  readonly version: string;
  /** Semver range of kernel versions the package supports. */
  readonly kernel: string;
  readonly plugins?: readonly PluginClass[];
  /** Model builders a pipeline's `model.builder` can name. */
  readonly models?: readonly ModelBuilder<never>[];
  /** Data providers a pipeline's `data.provider` can name. */
  readonly datasets?: readonly DataProvider<never>[];
  /** Custom layer classes and their layer operations. */
  readonly layers?: readonly LayerOperationRegistration[];
  /** Latency models a pruner can name (e.g. `latency-knapsack`'s `latencyModel`), and `whittle profile --latency-model`. */
  readonly latencyModels?: readonly LatencyModel[];
  /** Metric providers a task can list (and `params`, `macs`, which every model summary has). */
  readonly metrics?: readonly MetricProvider[];
  /** Tasks a data provider can declare. */
  readonly tasks?: readonly TaskDefinition[];
}

/** Identity, for type checking and so manifests read as what they are. */
export function definePluginManifest(manifest: PluginManifest): PluginManifest {
  return manifest;
}

/** Hooks tapped and deploy targets registered by a manifest, as `whittle plugins` lists them. */
export function describeManifest(manifest: PluginManifest): { hooks: string[]; targets: string[] } {
  const plugins = manifest.plugins ?? [];
  return {
    hooks: plugins.filter((p) => p.meta.hook !== undefined && p.meta.hook !== 'deploy').map((p) => `${p.meta.hook}:${p.meta.name}`),
    targets: plugins.filter((p) => p.meta.hook === 'deploy').map((p) => p.meta.name),
  };
}
