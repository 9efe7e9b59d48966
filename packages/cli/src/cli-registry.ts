import { loadPluginManifests, packageFolder, PluginRegistry } from '@whittle/kernel';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedWithDefaults } from './installed-plugins.js';

/** The CLI's own package folder (from `src/` and from `dist/src/` alike): plugin packages it depends on resolve from here. */
export const CLI_PACKAGE_DIR = packageFolder(dirname(fileURLToPath(import.meta.url)));

/** Plugin packages the CLI installs with itself, so that their providers are found without a pipeline (e.g. `whittle profile`'s latency model). */
const BUNDLED_PLUGIN_PACKAGES = ['@whittle/plugin-profiler'] as const;

/**
 * Everything a command outside a pipeline can find by name: the default manifests, the plugin packages the CLI comes with, and those installed in `dir` (a package
 * installed in both counts once: the one in `dir`).
 *
 * ```ts
 * const model = (await cliRegistry(process.cwd())).latencyModels.get('tfjs-profiler');
 * ```
 */
export async function cliRegistry(dir: string): Promise<PluginRegistry> {
  return new PluginRegistry(await installedWithDefaults(dir, await loadPluginManifests(BUNDLED_PLUGIN_PACKAGES, CLI_PACKAGE_DIR)), { packages: 'installed' });
}
