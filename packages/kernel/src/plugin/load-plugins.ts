import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import { inputError } from '../errors/whittle-error.js';
import { isStageHookName, STAGE_HOOKS } from '../hooks/stage-hook-name.js';
import { KERNEL_VERSION } from '../version.js';
import type { PluginManifest } from './plugin.js';

export interface LoadPluginsOptions {
  /** Replaces `import()`, for tests. */
  readonly importModule?: (url: string) => Promise<unknown>;
}

// npm package names, scoped or not (lower case, no leading dot or underscore).
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * Loads the manifests of the plugins a pipeline names: installed package names (resolved from the
 * config file's folder, as Node would) or paths starting with `./` or `../` relative to that folder.
 * Nothing else: absolute paths, URLs and `node:` modules are refused.
 *
 * ```ts
 * const manifests = await loadPluginManifests(['@whittle/plugin-baselines', './my-plugin.js'], '/abs/config/dir');
 * ```
 */
export async function loadPluginManifests(specifiers: readonly string[], configDir: string, options: LoadPluginsOptions = {}): Promise<PluginManifest[]> {
  const importModule = options.importModule ?? ((url: string) => import(url));
  const manifests: PluginManifest[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const where = `/plugins/${index} ("${specifier}")`;
    const url = resolvePluginSpecifier(specifier, configDir, where);
    let module: unknown;
    try {
      module = await importModule(url);
    } catch (error) {
      throw inputError('PLUGIN_LOAD_FAILED', `${where}: the module failed to load: ${(error as Error).message}`, 'Check that the package is built and its dependencies are installed.', error);
    }
    const manifest = checkManifest((module as { default?: unknown } | null)?.default, where);
    if (!semver.satisfies(KERNEL_VERSION, manifest.kernel, { includePrerelease: true })) {
      throw inputError(
        'PLUGIN_KERNEL_MISMATCH',
        `${where}: "${manifest.name}" supports kernel ${manifest.kernel}, but this is kernel ${KERNEL_VERSION}`,
        `Install a version of "${manifest.name}" built for kernel ${KERNEL_VERSION}.`,
      );
    }
    manifests.push(manifest);
  }
  return manifests;
}

function resolvePluginSpecifier(specifier: string, configDir: string, where: string): string {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const path = resolve(configDir, specifier);
    if (!existsSync(path)) {
      throw inputError('PLUGIN_NOT_FOUND', `${where}: no file at ${path}`, 'Paths in "plugins" are relative to the pipeline file.');
    }
    return pathToFileURL(path).href;
  }
  if (isAbsolute(specifier) || !PACKAGE_NAME.test(specifier)) {
    throw inputError(
      'PLUGIN_SPECIFIER_INVALID',
      `${where}: a plugin is an installed package name or a path starting with "./" or "../" (relative to the pipeline file)`,
      'Write e.g. "@whittle/plugin-baselines" or "./plugins/my-plugin.js".',
    );
  }
  try {
    return pathToFileURL(createRequire(join(configDir, 'pipeline.json')).resolve(specifier)).href;
  } catch (error) {
    throw inputError('PLUGIN_NOT_FOUND', `${where}: package "${specifier}" is not installed where the pipeline is`, `Install it: pnpm add ${specifier}`, error);
  }
}

function checkManifest(value: unknown, where: string): PluginManifest {
  const fail = (what: string): never => {
    throw inputError(
      'PLUGIN_INVALID',
      `${where}: not a Whittle plugin package: ${what}`,
      'A plugin module default-exports definePluginManifest({ name, version, kernel, plugins }).',
    );
  };
  if (typeof value !== 'object' || value === null) return fail('it has no default export manifest');
  const m = value as Record<string, unknown>;
  if (typeof m['name'] !== 'string' || m['name'] === '') fail('the manifest has no "name"');
  if (typeof m['version'] !== 'string') fail('the manifest has no "version"');
  if (typeof m['kernel'] !== 'string' || semver.validRange(m['kernel']) === null) fail('the manifest\'s "kernel" is not a semver range');
  for (const key of ['plugins', 'models', 'datasets', 'latencyModels', 'metrics', 'tasks'] as const) {
    if (m[key] !== undefined && !Array.isArray(m[key])) fail(`"${key}" is not an array`);
  }
  for (const [i, plugin] of ((m['plugins'] as unknown[] | undefined) ?? []).entries()) {
    const meta = typeof plugin === 'function' ? (plugin as { meta?: Record<string, unknown> }).meta : undefined;
    if (meta === undefined || typeof meta['name'] !== 'string') fail(`plugins[${i}] is not a class with a static "meta" naming it`);
    if (meta?.['hook'] !== undefined && !isStageHookName(meta['hook'])) fail(`plugins[${i}] ("${String(meta?.['name'])}") names hook "${String(meta?.['hook'])}"; hooks are ${STAGE_HOOKS.join(', ')}`);
    if (typeof meta?.['optionsSchema'] !== 'object' || meta['optionsSchema'] === null) fail(`plugins[${i}] ("${String(meta?.['name'])}") has no optionsSchema`);
  }
  for (const [i, builder] of ((m['models'] as unknown[] | undefined) ?? []).entries()) {
    const b = builder as Record<string, unknown> | null;
    if (typeof b?.['name'] !== 'string' || typeof b['build'] !== 'function' || typeof b['optionsSchema'] !== 'object') fail(`models[${i}] is not a model builder (name, optionsSchema, build)`);
  }
  for (const [i, provider] of ((m['datasets'] as unknown[] | undefined) ?? []).entries()) {
    const p = provider as Record<string, unknown> | null;
    if (typeof p?.['name'] !== 'string' || typeof p['load'] !== 'function' || typeof p['optionsSchema'] !== 'object' || typeof p['task'] !== 'string') fail(`datasets[${i}] is not a data provider (name, task, optionsSchema, load)`);
  }
  for (const [i, model] of ((m['latencyModels'] as unknown[] | undefined) ?? []).entries()) {
    const l = model as Record<string, unknown> | null;
    if (typeof l?.['name'] !== 'string' || typeof l['estimate'] !== 'function') fail(`latencyModels[${i}] is not a latency model (name, estimate)`);
  }
  for (const [i, metric] of ((m['metrics'] as unknown[] | undefined) ?? []).entries()) {
    const p = metric as Record<string, unknown> | null;
    if (typeof p?.['name'] !== 'string' || typeof p['measure'] !== 'function' || typeof p['needsData'] !== 'boolean') fail(`metrics[${i}] is not a metric provider (name, needsData, measure)`);
  }
  for (const [i, task] of ((m['tasks'] as unknown[] | undefined) ?? []).entries()) {
    const t = task as Record<string, unknown> | null;
    if (typeof t?.['name'] !== 'string' || !Array.isArray(t['metrics'])) fail(`tasks[${i}] is not a task (name, metrics)`);
  }
  return value as PluginManifest;
}
