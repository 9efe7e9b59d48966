import { loadPluginManifests, type PluginManifest } from '@whittle/kernel';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MANIFESTS } from './default-manifests.js';

/** The keyword that marks an installed npm package as a Whittle plugin package. */
export const PLUGIN_KEYWORD = 'whittle-plugin';

/** Installed packages (in `<dir>/node_modules`) whose package.json carries the `whittle-plugin` keyword. */
export function findInstalledPluginPackages(dir: string): string[] {
  const root = join(dir, 'node_modules');
  if (!existsSync(root)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(root)) {
    const candidates = entry.startsWith('@') ? readdirSync(join(root, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of candidates) {
      const pkg = join(root, name, 'package.json');
      if (!existsSync(pkg)) continue;
      const keywords = (JSON.parse(readFileSync(pkg, 'utf8')) as { keywords?: unknown }).keywords;
      if (Array.isArray(keywords) && keywords.includes(PLUGIN_KEYWORD)) names.push(name);
    }
  }
  return names.sort();
}

/**
 * The manifests a command outside a pipeline sees: the default manifests, then `extra` (e.g. the
 * plugin packages the CLI comes with), then the plugin packages installed in `dir`. A package installed
 * in `dir` counts once, as installed: the default or extra manifest of the same name gives way to it.
 *
 * ```ts
 * const registry = new PluginRegistry(await installedWithDefaults(process.cwd()));
 * ```
 */
export async function installedWithDefaults(dir: string, extra: readonly PluginManifest[] = []): Promise<PluginManifest[]> {
  const installed = await loadPluginManifests(findInstalledPluginPackages(dir), dir);
  const names = new Set(installed.map((m) => m.name));
  return [...[...DEFAULT_MANIFESTS, ...extra].filter((m) => !names.has(m.name)), ...installed];
}
