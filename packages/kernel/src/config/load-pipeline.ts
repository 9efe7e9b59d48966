import { dirname, resolve } from 'node:path';
import { loadPluginManifests, type LoadPluginsOptions } from '../plugin/load-plugins.js';
import type { PluginManifest } from '../plugin/plugin.js';
import { PluginRegistry } from '../plugin/plugin-registry.js';
import type { PipelineConfig } from './pipeline-config.js';
import { readPipelineFile } from './read-pipeline-file.js';
import { validatePipelineAgainstPlugins, validatePipelineShape } from './validate-pipeline.js';

export interface LoadedPipeline {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  readonly configDir: string;
  /** Validated, with every default filled in. */
  readonly config: PipelineConfig;
  readonly registry: PluginRegistry;
}

/**
 * A pipeline file's path, or a pipeline object built in memory (as `whittle prune` does) with the
 * folder its relative paths resolve against and a label that stands for the file in messages.
 */
export type PipelineSource = string | { readonly config: unknown; readonly configDir: string; readonly label: string };

export interface LoadPipelineOverrides extends LoadPluginsOptions {
  readonly seed?: number;
  /**
   * Manifests loaded before the pipeline's `plugins`, as if every pipeline listed them: the CLI passes
   * `@whittle/data`'s (data providers) so that pipelines need not name it. A default manifest that the
   * pipeline also lists is loaded once.
   */
  readonly defaultManifests?: readonly PluginManifest[];
}

/**
 * Reads a pipeline file, validates its shape, loads the plugins it names, and validates every stage's
 * options against its plugin's schema — all before anything runs or is written.
 *
 * ```ts
 * import dataManifest from '@whittle/data';
 * const { config, registry } = await loadPipeline('examples/quickstart/pipeline.json', { defaultManifests: [dataManifest] });
 * ```
 */
export async function loadPipeline(source: PipelineSource, overrides: LoadPipelineOverrides = {}): Promise<LoadedPipeline> {
  const file = typeof source === 'string' ? resolve(source) : resolve(source.configDir, source.label);
  const configDir = dirname(file);
  const raw = typeof source === 'string' ? await readPipelineFile(file) : source.config;
  let config = validatePipelineShape(raw, file);
  if (overrides.seed !== undefined) config = { ...config, seed: overrides.seed };
  const manifests = await loadPluginManifests(config.plugins, configDir, overrides);
  const listed = new Set(manifests.map((m) => m.name));
  const defaults = (overrides.defaultManifests ?? []).filter((m) => !listed.has(m.name));
  const registry = new PluginRegistry([...defaults, ...manifests]);
  config = validatePipelineAgainstPlugins(config, registry, file);
  return { file, configDir, config, registry };
}
