import { LayerOperations, layerOperationsOf } from '@whittle/graph';
import { loadPluginManifests, PluginRegistry, readRunReport, type PluginManifest } from '@whittle/kernel';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The plugins loaded for a run's report, and what could not be loaded, in words. */
export interface RunPlugins {
  /** Manifest names, the pipeline's first, then the `--plugin` ones. */
  readonly loaded: readonly string[];
  /** Why the pipeline's plugins were not loaded (its file is gone, a plugin failed to load), or undefined. */
  readonly notLoaded?: string;
  /** The built-in layer operations and the loaded plugins' (their custom layers' MACs and channels). */
  readonly layerOperations: LayerOperations;
}

/** The `plugins` of a pipeline file, or why they cannot be read. */
async function pipelinePlugins(file: string): Promise<{ plugins: string[] } | { problem: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { problem: `the run's pipeline file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  try {
    const plugins = (JSON.parse(text.replace(/^\uFEFF/, '')) as { plugins?: unknown } | null)?.plugins ?? [];
    if (!Array.isArray(plugins) || !plugins.every((p) => typeof p === 'string')) return { problem: `the "plugins" of the run's pipeline file ${file} are not a list of names` };
    return { plugins };
  } catch (error) {
    return { problem: `the run's pipeline file ${file} is not JSON (${(error as Error).message})` };
  }
}

/**
 * Loads the plugins a run's pipeline names, resolved as the runner resolves them (`loadPluginManifests`
 * from the pipeline file's folder, then from Whittle's installation), and the `extra` packages
 * (`--plugin`, resolved from `cwd`), and registers them, so that the layer classes they register are
 * known before report.html reads the run's models: without them a model with a plugin's custom layer
 * does not load ("Unknown layer: N3hFakeQuant") and the page loses its per-layer charts. Their layer
 * operations are returned for the per-layer MACs (as the run counted them).
 *
 * The pipeline's plugins are the run's business, not the user's input: when they cannot be loaded
 * (the pipeline file moved, a plugin was uninstalled) `notLoaded` says why and the report goes on.
 * An `extra` package that does not load is the user's input: it throws the kernel's input error.
 *
 * ```ts
 * const { notLoaded, layerOperations } = await loadRunPlugins('runs/n3h');
 * await writeReportHtml('runs/n3h', { layerOperations, ...(notLoaded === undefined ? {} : { modelLoadHint: notLoaded }) });
 * ```
 */
export async function loadRunPlugins(outDir: string, extra: readonly string[] = [], cwd: string = process.cwd()): Promise<RunPlugins> {
  const manifests: PluginManifest[] = [];
  let notLoaded: string | undefined;
  const { report } = await readRunReport(outDir);
  // No report.json: writeReportHtml refuses the folder with its own error.
  if (report !== undefined) {
    const found = await pipelinePlugins(report.pipeline);
    if ('problem' in found) {
      notLoaded = found.problem;
    } else {
      try {
        manifests.push(...(await loadPluginManifests(found.plugins, dirname(report.pipeline))));
      } catch (error) {
        notLoaded = `the plugins of the run's pipeline ${report.pipeline} did not load: ${(error as Error).message.split('\n')[0]!}`;
      }
    }
  }
  const names = new Set(manifests.map((m) => m.name));
  for (const manifest of await loadPluginManifests(extra, cwd)) {
    if (!names.has(manifest.name)) manifests.push(manifest);
    names.add(manifest.name);
  }
  let registry: PluginRegistry;
  try {
    // As the runner does: the registry registers each manifest's layer classes with tf.serialization.
    registry = new PluginRegistry(manifests);
  } catch (error) {
    return { loaded: [], notLoaded: `the run's plugins could not be registered together: ${(error as Error).message.split('\n')[0]!}`, layerOperations: LayerOperations.builtIn };
  }
  return { loaded: [...names], ...(notLoaded === undefined ? {} : { notLoaded }), layerOperations: layerOperationsOf(registry) };
}
