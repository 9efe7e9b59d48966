import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWhittleError, type WhittleError } from '../../src/errors/whittle-error.js';
import { loadPluginManifests } from '../../src/plugin/load-plugins.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import { runPipeline } from '../../src/runner/run-pipeline.js';
import { silentLogger } from '../../src/logging/logger.js';
import { TempPipeline, toyPipeline } from '../fixtures/temp-pipeline.js';
import { cpuTestEngine } from '../fixtures/test-engine.js';

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

  it('refuses a relative path with no file', async () => {
    expect((await loadError(['./nowhere.js'])).code).toBe('PLUGIN_NOT_FOUND');
  });

  it('refuses absolute paths and URLs', async () => {
    expect((await loadError([join(t.dir, 'x.js')])).code).toBe('PLUGIN_SPECIFIER_INVALID');
    expect((await loadError(['file:///tmp/x.js'])).code).toBe('PLUGIN_SPECIFIER_INVALID');
    expect((await loadError(['node:fs'])).code).toBe('PLUGIN_SPECIFIER_INVALID');
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
    const file = t.write(toyPipeline(t, { plugins: [t.plugin('toy-plugins'), t.plugin('conflicting-target')] }));
    const error = (await runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger }).catch((e: unknown) => e)) as WhittleError;
    expect(error.code).toBe('PLUGIN_CONFLICT');
  });
});
