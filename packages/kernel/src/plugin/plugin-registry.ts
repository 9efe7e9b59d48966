import * as tf from '@tensorflow/tfjs';
import type { DataProvider } from '../data/dataset.js';
import { inputError } from '../errors/whittle-error.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { ModelBuilder } from '../models/model-builder.js';
import type { LatencyModel } from '../providers/latency-model.js';
import type { MetricProvider } from '../providers/metric-provider.js';
import type { TaskDefinition } from '../providers/task.js';
import type { LayerOperationRegistration, PluginClass, PluginManifest } from './plugin.js';
import { Providers, type ProviderKind, type Registered } from './providers.js';

export type { Registered } from './providers.js';

/** Where the registry's packages come from, for its messages. */
export interface PluginRegistryOptions {
  /** `loaded` (a run's packages, the default) or `installed` (what the CLI finds without a pipeline). */
  readonly packages?: 'loaded' | 'installed';
}

const KINDS = {
  modelBuilders: { noun: 'model builder', unknownCode: 'MODEL_BUILDER_UNKNOWN', hint: 'Add the package that provides it to "plugins" (the zoo\'s builders: "@whittle/zoo").' },
  dataProviders: { noun: 'data provider', unknownCode: 'DATA_PROVIDER_UNKNOWN', hint: 'Add the package that provides it to "plugins", or name a registered one.' },
  layers: { noun: 'layer class', unknownCode: 'LAYER_CLASS_UNKNOWN', hint: 'Add the package that registers the custom layer to "plugins".' },
  latencyModels: { noun: 'latency model', unknownCode: 'LATENCY_MODEL_UNKNOWN', hint: 'Add the package that registers it to the pipeline\'s "plugins" (tfjs-profiler: "@whittle/plugin-profiler"), or name a registered one.' },
  metrics: { noun: 'metric', unknownCode: 'METRIC_MISSING', hint: 'Load a package that provides it: the whittle CLI loads @whittle/metrics; in code, pass runPipeline(file, { manifests: [metrics] }) with `import metrics from \'@whittle/metrics\'`.' },
  tasks: { noun: 'task', unknownCode: 'TASK_UNKNOWN', hint: 'Load the package that defines it (classification, image-to-image, generative: @whittle/metrics).' },
} as const satisfies Record<string, ProviderKind>;

/**
 * Everything the loaded manifests provide, by name: stage plugins (per hook), deploy targets, and
 * one `Providers` lookup per kind of provider — model builders, data providers, latency models,
 * metrics, tasks and custom layers (whose classes it registers with `tf.serialization`, so models
 * using them load). A run's DI container offers the same lookups by token (`LATENCY_MODELS`, …).
 * Two packages claiming one name is an error that names both.
 *
 * ```ts
 * const registry = new PluginRegistry([metricsManifest, profilerManifest]);
 * registry.latencyModels.get('tfjs-profiler');
 * registry.metrics.names(); // ['params', 'macs', 'accuracy', …]
 * ```
 */
export class PluginRegistry {
  private readonly stagePlugins = new Map<string, Registered<PluginClass>>();
  private readonly observerPlugins: Registered<PluginClass>[] = [];
  readonly modelBuilders: Providers<ModelBuilder<never>>;
  readonly dataProviders: Providers<DataProvider<never>>;
  /** Custom layers' registrations by class name. */
  readonly layers: Providers<LayerOperationRegistration>;
  readonly latencyModels: Providers<LatencyModel>;
  readonly metrics: Providers<MetricProvider>;
  readonly tasks: Providers<TaskDefinition>;

  constructor(readonly manifests: readonly PluginManifest[], options: PluginRegistryOptions = {}) {
    const modelBuilders = new Map<string, Registered<ModelBuilder<never>>>();
    const dataProviders = new Map<string, Registered<DataProvider<never>>>();
    const layers = new Map<string, Registered<LayerOperationRegistration>>();
    const latencyModels = new Map<string, Registered<LatencyModel>>();
    const metrics = new Map<string, Registered<MetricProvider>>();
    const tasks = new Map<string, Registered<TaskDefinition>>();
    for (const manifest of manifests) {
      for (const plugin of manifest.plugins ?? []) {
        if (plugin.meta.hook === undefined) {
          this.observerPlugins.push({ value: plugin, from: manifest.name });
          continue;
        }
        const what = plugin.meta.hook === 'deploy' ? `deploy target "${plugin.meta.name}"` : `plugin "${plugin.meta.name}" for hook "${plugin.meta.hook}"`;
        claim(this.stagePlugins, stageKey(plugin.meta.hook, plugin.meta.name), plugin, manifest.name, what);
      }
      for (const builder of manifest.models ?? []) claim(modelBuilders, builder.name, builder, manifest.name, `model builder "${builder.name}"`);
      for (const provider of manifest.datasets ?? []) claim(dataProviders, provider.name, provider, manifest.name, `data provider "${provider.name}"`);
      for (const layer of manifest.layers ?? []) {
        claim(layers, layer.className, layer, manifest.name, `layer class "${layer.className}"`);
        if (layer.serializable !== undefined) tf.serialization.registerClass(layer.serializable);
      }
      for (const model of manifest.latencyModels ?? []) claim(latencyModels, model.name, model, manifest.name, `latency model "${model.name}"`);
      for (const metric of manifest.metrics ?? []) claim(metrics, metric.name, metric, manifest.name, `metric "${metric.name}"`);
      for (const task of manifest.tasks ?? []) claim(tasks, task.name, task, manifest.name, `task "${task.name}"`);
    }
    const kind = (k: ProviderKind): ProviderKind => (options.packages === undefined ? k : { ...k, packages: options.packages });
    this.modelBuilders = new Providers(kind(KINDS.modelBuilders), modelBuilders);
    this.dataProviders = new Providers(kind(KINDS.dataProviders), dataProviders);
    this.layers = new Providers(kind(KINDS.layers), layers);
    this.latencyModels = new Providers(kind(KINDS.latencyModels), latencyModels);
    this.metrics = new Providers(kind(KINDS.metrics), metrics);
    this.tasks = new Providers(kind(KINDS.tasks), tasks);
  }

  plugin(hook: StageHookName, name: string): Registered<PluginClass> | undefined {
    return this.stagePlugins.get(stageKey(hook, name));
  }

  /** All stage plugins, in load order. */
  plugins(): Registered<PluginClass>[] {
    return [...this.stagePlugins.values()];
  }

  /** Plugins that serve no stage hook (they observe), in load order. */
  observers(): Registered<PluginClass>[] {
    return [...this.observerPlugins];
  }

  pluginNames(hook: StageHookName): string[] {
    return this.plugins().filter((p) => p.value.meta.hook === hook).map((p) => p.value.meta.name);
  }

  /** The custom layers' registrations (class and layer operation), in load order; `layerOperationsOf` in @whittle/graph reads them. */
  layerOperations(): Registered<LayerOperationRegistration>[] {
    return this.layers.entries();
  }
}

function stageKey(hook: StageHookName, name: string): string {
  return `${hook}\u0000${name}`;
}

function claim<T>(map: Map<string, Registered<T>>, key: string, value: T, from: string, what: string): void {
  const existing = map.get(key);
  if (existing !== undefined) {
    throw inputError(
      'PLUGIN_CONFLICT',
      `${what} is registered by both "${existing.from}" and "${from}"`,
      'Load only one of the two packages, or rename one of them.',
    );
  }
  map.set(key, { value, from });
}
