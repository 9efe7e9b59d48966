import * as tf from '@tensorflow/tfjs';
import type { DataProvider } from '../data/dataset.js';
import { inputError } from '../errors/whittle-error.js';
import type { StageHookName } from '../hooks/stage-hook-name.js';
import type { ModelBuilder } from '../models/model-builder.js';
import type { LatencyModel } from '../providers/latency-model.js';
import type { MetricProvider } from '../providers/metric-provider.js';
import type { TaskDefinition } from '../providers/task.js';
import type { LayerOperationRegistration, PluginClass, PluginManifest } from './plugin.js';

export interface Registered<T> {
  readonly value: T;
  /** The package that provided it. */
  readonly from: string;
}

/**
 * Everything the loaded manifests provide, by name: stage plugins (per hook), deploy targets, model
 * builders, data providers, latency models, metric providers, tasks and custom layers (whose classes
 * it registers with `tf.serialization`, so models using them load). Two packages claiming one name is
 * an error that names both.
 */
export class PluginRegistry {
  private readonly stagePlugins = new Map<string, Registered<PluginClass>>();
  private readonly observerPlugins: Registered<PluginClass>[] = [];
  private readonly modelBuilders = new Map<string, Registered<ModelBuilder<never>>>();
  private readonly dataProviders = new Map<string, Registered<DataProvider<never>>>();
  private readonly layerRegistrations = new Map<string, Registered<LayerOperationRegistration>>();
  private readonly latencyModelsByName = new Map<string, Registered<LatencyModel>>();
  private readonly metricsByName = new Map<string, Registered<MetricProvider>>();
  private readonly tasksByName = new Map<string, Registered<TaskDefinition>>();

  constructor(readonly manifests: readonly PluginManifest[]) {
    for (const manifest of manifests) {
      for (const plugin of manifest.plugins ?? []) {
        if (plugin.meta.hook === undefined) {
          this.observerPlugins.push({ value: plugin, from: manifest.name });
          continue;
        }
        const what = plugin.meta.hook === 'deploy' ? `deploy target "${plugin.meta.name}"` : `plugin "${plugin.meta.name}" for hook "${plugin.meta.hook}"`;
        claim(this.stagePlugins, stageKey(plugin.meta.hook, plugin.meta.name), plugin, manifest.name, what);
      }
      for (const builder of manifest.models ?? []) claim(this.modelBuilders, builder.name, builder, manifest.name, `model builder "${builder.name}"`);
      for (const provider of manifest.datasets ?? []) claim(this.dataProviders, provider.name, provider, manifest.name, `data provider "${provider.name}"`);
      for (const layer of manifest.layers ?? []) {
        claim(this.layerRegistrations, layer.className, layer, manifest.name, `layer class "${layer.className}"`);
        if (layer.serializable !== undefined) tf.serialization.registerClass(layer.serializable);
      }
      for (const model of manifest.latencyModels ?? []) claim(this.latencyModelsByName, model.name, model, manifest.name, `latency model "${model.name}"`);
      for (const metric of manifest.metrics ?? []) claim(this.metricsByName, metric.name, metric, manifest.name, `metric "${metric.name}"`);
      for (const task of manifest.tasks ?? []) claim(this.tasksByName, task.name, task, manifest.name, `task "${task.name}"`);
    }
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

  modelBuilder(name: string): Registered<ModelBuilder<never>> | undefined {
    return this.modelBuilders.get(name);
  }

  modelBuilderNames(): string[] {
    return [...this.modelBuilders.keys()];
  }

  dataProvider(name: string): Registered<DataProvider<never>> | undefined {
    return this.dataProviders.get(name);
  }

  dataProviderNames(): string[] {
    return [...this.dataProviders.keys()];
  }

  /** The custom layers' registrations (class and layer operation), in load order; `layerOperationsOf` in @whittle/graph reads them. */
  layerOperations(): Registered<LayerOperationRegistration>[] {
    return [...this.layerRegistrations.values()];
  }

  latencyModel(name: string): Registered<LatencyModel> | undefined {
    return this.latencyModelsByName.get(name);
  }

  latencyModelNames(): string[] {
    return [...this.latencyModelsByName.keys()];
  }

  metric(name: string): Registered<MetricProvider> | undefined {
    return this.metricsByName.get(name);
  }

  metricNames(): string[] {
    return [...this.metricsByName.keys()];
  }

  task(name: string): Registered<TaskDefinition> | undefined {
    return this.tasksByName.get(name);
  }

  taskNames(): string[] {
    return [...this.tasksByName.keys()];
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
