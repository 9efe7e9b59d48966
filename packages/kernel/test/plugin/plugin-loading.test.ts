import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWhittleError, type WhittleError } from '../../src/errors/whittle-error.js';
import { loadPluginManifests } from '../../src/plugin/load-plugins.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import { runPipeline } from '../../src/runner/run-pipeline.js';
import { silentLogger } from '../../src/logging/logger.js';
import { TempPipeline, toyPipeline } from '../fixtures/temp-pipeline.js';

let t: TempPipeline;
beforeEach(() => (t = new TempPipeline()));
afterEach(() => t.cleanup());

async function loadError(specifiers: string[]): Promise<WhittleError> {
  const error = await loadPluginManifests(specifiers, t.dir).then(() => undefined, (e: unknown) => e);
  expect(isWhittleError(error)).toBe(true);
  expect((error as WhittleError).exitCode).toBe(2);
  return error as WhittleError;
}

describe('plugin loading', () => {
  it('loads a plugin by a path relative to the pipeline file', async () => {
    const [manifest] = await loadPluginManifests([t.plugin('toy-plugins')], t.dir);
    expect(manifest?.name).toBe('toy-plugins');
    expect(manifest?.plugins?.map((p) => p.meta.name)).toEqual(['jitter', 'channel-count', 'null-target']);
  });

  it('refuses a package that is not installed', async () => {
    const error = await loadError(['@whittle/plugin-does-not-exist']);
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    expect(error.message).toContain('/plugins/0 ("@whittle/plugin-does-not-exist")');
    expect(error.message).toContain('pnpm add @whittle/plugin-does-not-exist');
  });

  it('loads a first-party plugin for a pipeline outside the repository (from Whittle\'s installation)', async () => {
    // t.dir is under the OS temp folder: no node_modules above it holds @whittle/plugin-baselines.
    expect(fileURLToPath(import.meta.url).startsWith(t.dir)).toBe(false);
    const [manifest] = await loadPluginManifests(['@whittle/plugin-baselines'], t.dir);
    expect(manifest?.name).toBe('@whittle/plugin-baselines');
  });

  it('says which folders it searched for a missing package', async () => {
    const error = await loadError(['@whittle/plugin-does-not-exist']);
    expect(error.message).toContain(`the pipeline's folder ${t.dir}`);
    expect(error.message).toMatch(/Whittle's installation \S*packages[\\/]kernel/);
    expect(error.hint).toContain(`cd ${t.dir}`);
  });

  it('never runs a file named like a Node built-in: "child_process", "fs", "node:child_process" are refused', async () => {
    const marker = join(t.dir, 'ran.txt');
    const payload = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`;
    for (const name of ['child_process', 'child_process.js', 'fs', 'fs.js']) writeFileSync(join(t.dir, name), payload);
    const cwd = process.cwd();
    process.chdir(t.dir); // the old loader resolved a built-in's name against the working folder
    try {
      for (const name of ['child_process', 'fs', 'node:child_process', 'node:test']) {
        const error = await loadError([name]);
        expect(error.code, name).toBe('PLUGIN_SPECIFIER_INVALID');
        expect(error.message).toContain('built-in module');
      }
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a relative path with no file', async () => {
    expect((await loadError(['./nowhere.js'])).code).toBe('PLUGIN_NOT_FOUND');
  });

  it('refuses absolute paths and URLs', async () => {
    expect((await loadError([join(t.dir, 'x.js')])).code).toBe('PLUGIN_SPECIFIER_INVALID');
    expect((await loadError(['file:///tmp/x.js'])).code).toBe('PLUGIN_SPECIFIER_INVALID');
    expect((await loadError(['node:fs'])).code).toBe('PLUGIN_SPECIFIER_INVALID');
    expect((await loadError(['not a name'])).code).toBe('PLUGIN_SPECIFIER_INVALID');
  });

  it('refuses a module that is not a plugin', async () => {
    const error = await loadError([t.plugin('not-a-plugin')]);
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('no default export manifest');
  });

  it('refuses a module whose manifest is malformed', async () => {
    mkdirSync(join(t.dir, 'p'));
    writeFileSync(join(t.dir, 'p', 'bad.mjs'), 'export default { name: "bad", version: "1.0.0", kernel: "^0.1.0", plugins: [class X {}] };');
    const error = await loadError(['./p/bad.mjs']);
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('plugins[0] is not a class with a static "meta"');
  });

  it('refuses a module that fails to load', async () => {
    writeFileSync(join(t.dir, 'broken.mjs'), 'throw new Error("boom at import");');
    const error = await loadError(['./broken.mjs']);
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('boom at import');
  });

  it('refuses a plugin built for another kernel version', async () => {
    const error = await loadError([t.plugin('future-kernel-plugin')]);
    expect(error.code).toBe('PLUGIN_KERNEL_MISMATCH');
    expect(error.message).toMatch(/supports kernel \^9\.0\.0, but this is kernel 0\.1\.0/);
  });

  it('refuses a plugin whose options schema has a typo (maximun), naming the plugin and the schema path', async () => {
    const error = await loadError([t.plugin('schema-typo-plugin')]);
    expect(error.code).toBe('PLUGIN_SCHEMA_INVALID');
    expect(error.message).toContain('plugin "typo-prune" of "schema-typo-plugins"');
    expect(error.message).toContain('at #/properties/ratio/maximun: unknown keyword: "maximun"');
  });

  it('refuses a model builder whose options schema is not a JSON Schema, with the path ajv names', async () => {
    writeFileSync(join(t.dir, 'bad-schema.mjs'), `export default { name: "bad-schema", version: "1.0.0", kernel: "^0.1.0",
      models: [{ name: "m", description: "", optionsSchema: { type: "object", properties: { width: { type: "integr" } } }, build: () => null }] };`);
    const error = await loadError(['./bad-schema.mjs']);
    expect(error.code).toBe('PLUGIN_SCHEMA_INVALID');
    expect(error.message).toContain('model builder "m" of "bad-schema"');
    expect(error.message).toContain('at #/properties/width/type');
  });

  it('refuses a keyword that cannot apply in strict mode (minimum without a numeric type)', async () => {
    writeFileSync(join(t.dir, 'untyped.mjs'), `export default { name: "untyped", version: "1.0.0", kernel: "^0.1.0",
      plugins: [Object.assign(class { apply() {} }, { meta: { name: "u", hook: "prune", description: "", optionsSchema: { type: "object", properties: { r: { minimum: 0 } } } } })] };`);
    const error = await loadError(['./untyped.mjs']);
    expect(error.code).toBe('PLUGIN_SCHEMA_INVALID');
    expect(error.message).toContain('plugin "u" of "untyped"');
    expect(error.message).toContain('at #/properties/r: missing type "number" for keyword "minimum"');
  });

  it('refuses two packages claiming the same deploy target', async () => {
    const manifests = await loadPluginManifests([t.plugin('toy-plugins'), t.plugin('conflicting-target')], t.dir);
    let error: unknown;
    try {
      new PluginRegistry(manifests);
    } catch (e) {
      error = e;
    }
    expect((error as WhittleError).code).toBe('PLUGIN_CONFLICT');
    expect((error as WhittleError).message).toBe(
      'deploy target "null-target" is registered by both "toy-plugins" and "conflicting-plugins"\n  fix: Load only one of the two packages, or rename one of them.',
    );
  });

  it('a pipeline naming a conflicting pair fails before writing anything', async () => {
    const file = t.write(toyPipeline(t, { plugins: [t.plugin('toy-plugins'), t.plugin('conflicting-target'), t.plugin('toy-metrics')] }));
    const error = (await runPipeline(file, { outDir: t.out, logger: silentLogger }).catch((e: unknown) => e)) as WhittleError;
    expect(error.code).toBe('PLUGIN_CONFLICT');
  });
});
