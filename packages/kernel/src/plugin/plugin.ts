import type { DataProvider } from '../data/dataset.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { ModelBuilder } from '../models/model-builder.js';
import type { Kernel } from '../kernel.js';

/** A JSON Schema (draft 2020-12 subset that ajv understands) for a plugin's options: an object schema. */
export type OptionsSchema = Readonly<Record<string, unknown>>;

/** What the kernel knows about a plugin before instantiating it. */
export interface PluginMeta {
  /** The name a pipeline stage uses (`"plugin": "train"`), or the deploy target's name for `deploy`. */
  readonly name: string;
  /**
   * The one stage hook this plugin serves. Without one, the plugin is an observer: it taps lifecycle
   * hooks (or other plugins' keys) and is never named by a stage.
   */
  readonly hook?: StageHookName;
  readonly description: string;
  /** JSON Schema of the stage's `options` (`additionalProperties: false` recommended, defaults honoured). */
  readonly optionsSchema: OptionsSchema;
  /** What the stage needs from the run (scores from an earlier score stage, a teacher, data); checked before anything runs. */
  readonly requires?: readonly ('scores' | 'teacher' | 'data')[];
}

/**
 * A plugin instance: resolved from the run's DI container (so its constructor receives services through
 * `@inject(TOKEN)`), then `apply(kernel)` taps `kernel.hooks[meta.hook].for(meta.name)`.
 *
 * ```ts
 * @injectable()
 * export class NoopRecover implements WhittlePlugin {
 *   static readonly meta: PluginMeta = { name: 'noop', hook: 'recover', description: 'does nothing', optionsSchema: { type: 'object' } };
 *   readonly name = NoopRecover.meta.name;
 *   constructor(@inject(LOGGER) private readonly logger: Logger) {}
 *   apply(kernel: Kernel): void {
 *     kernel.hooks.recover.for(this.name).tapPromise(this.name, async (model) => model);
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
