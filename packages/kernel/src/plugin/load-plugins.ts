import { existsSync } from 'node:fs';
import { builtinModules, createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import { inputError } from '../errors/whittle-error.js';
import { isStageHookName, STAGE_HOOKS } from '../hooks/stage-hook-name.js';
import { KERNEL_VERSION } from '../version.js';
import { compileOptionsSchema } from './compile-options-schema.js';
import type { PluginManifest } from './plugin.js';

export interface LoadPluginsOptions {
  /** Replaces `import()`, for tests. */
  readonly importModule?: (url: string) => Promise<unknown>;
  /**
   * Folders that package names resolve from after the pipeline's folder, in order (Node's lookup
   * walks up from each). Default: Whittle's own installation (the kernel package's folder), so the
   * first-party plugins installed with Whittle load for a pipeline anywhere.
   */
  readonly installations?: readonly string[];
}

/** The kernel package's folder: where Whittle itself is installed (its plugins are found from here up). */
const WHITTLE_INSTALLATION = packageFolder(dirname(fileURLToPath(import.meta.url)));

/**
 * The nearest folder at or above `dir` holding a package.json (the same from `src/` and from `dist/src/`).
 *
 * ```ts
 * const cliDir = packageFolder(dirname(fileURLToPath(import.meta.url)));
 * ```
 */
export function packageFolder(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) return dir;
  }
}

// npm package names, scoped or not (lower case, no leading dot or underscore).
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * Loads the manifests of the plugins a pipeline names: installed package names (resolved from the
 * config file's folder up, as Node would, then from Whittle's own installation) or paths starting
 * with `./` or `../` relative to that folder. Nothing else: absolute paths, URLs and Node's built-in
 * modules (`fs`, `node:fs`, `child_process`, …) are refused before anything is imported.
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
    const url = resolvePluginSpecifier(specifier, configDir, options.installations ?? [WHITTLE_INSTALLATION], where);
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
    compileManifestSchemas(manifest, where);
    manifests.push(manifest);
  }
  return manifests;
}

function resolvePluginSpecifier(specifier: string, configDir: string, installations: readonly string[], where: string): string {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const path = resolve(configDir, specifier);
    if (!existsSync(path)) {
      throw inputError('PLUGIN_NOT_FOUND', `${where}: no file at ${path}`, 'Paths in "plugins" are relative to the pipeline file.');
    }
    return pathToFileURL(path).href;
  }
  if (isNodeBuiltin(specifier)) {
    // Node resolves a built-in name to itself; importing that as a path would run a file of that name.
    throw inputError(
      'PLUGIN_SPECIFIER_INVALID',
      `${where}: "${specifier}" is a Node.js built-in module, not a plugin package`,
      'Name an installed plugin package (e.g. "@whittle/plugin-baselines") or a file by a path starting with "./".',
    );
  }
  if (isAbsolute(specifier) || !PACKAGE_NAME.test(specifier)) {
    throw inputError(
      'PLUGIN_SPECIFIER_INVALID',
      `${where}: a plugin is an installed package name or a path starting with "./" or "../" (relative to the pipeline file)`,
      'Write e.g. "@whittle/plugin-baselines" or "./plugins/my-plugin.js".',
    );
  }
  const searched = [configDir, ...installations];
  for (const from of searched) {
    let path: string;
    try {
      path = createRequire(join(from, 'noop.js')).resolve(specifier);
    } catch {
      continue;
    }
    if (isAbsolute(path)) return pathToFileURL(path).href;
  }
  throw inputError(
    'PLUGIN_NOT_FOUND',
    `${where}: package "${specifier}" is not installed; searched node_modules from ${searched.map((s, i) => (i === 0 ? `the pipeline's folder ${s}` : `Whittle's installation ${s}`)).join(' and from ')} up`,
    `Install it next to the pipeline: cd ${configDir} && pnpm add ${specifier} (or npm install ${specifier}).`,
  );
}

/** True for the names of Node's built-in modules, with or without `node:` (`fs`, `node:test`, `child_process`). */
function isNodeBuiltin(specifier: string): boolean {
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  return isBuiltin(specifier) || builtinModules.includes(bare);
}

/** Compiles every options schema the manifest declares (ajv strict), so a broken one fails at load naming its owner. */
function compileManifestSchemas(manifest: PluginManifest, where: string): void {
  const of = `of "${manifest.name}" (${where})`;
  for (const plugin of manifest.plugins ?? []) compileOptionsSchema(plugin.meta.optionsSchema, `plugin "${plugin.meta.name}" ${of}`);
  for (const builder of manifest.models ?? []) compileOptionsSchema(builder.optionsSchema, `model builder "${builder.name}" ${of}`);
  for (const provider of manifest.datasets ?? []) compileOptionsSchema(provider.optionsSchema, `data provider "${provider.name}" ${of}`);
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
  for (const key of ['plugins', 'models', 'datasets', 'layers', 'latencyModels', 'metrics', 'tasks'] as const) {
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
  for (const [i, layer] of ((m['layers'] as unknown[] | undefined) ?? []).entries()) {
    const l = layer as Record<string, unknown> | null;
    const className = l?.['className'];
    if (typeof className !== 'string' || className === '' || typeof l?.['operation'] !== 'object' || l['operation'] === null) {
      fail(`layers[${i}] is not a layer registration (className, operation, serializable)`);
    }
    const serializable: unknown = l?.['serializable'];
    if (serializable !== undefined && (typeof serializable !== 'function' || (serializable as { className?: unknown }).className !== className)) {
      fail(`layers[${i}] ("${String(className)}"): "serializable" is not a tf.serialization class with static className "${String(className)}"`);
    }
  }
  return value as PluginManifest;
}
