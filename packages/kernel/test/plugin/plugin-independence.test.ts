import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN: plugins never import other plugin packages; they ask the registry by name. Shared code a
 * plugin needs lives in a library package (kernel, engine, data, metrics, graph, training, …).
 * Tests may compose other plugins (devDependencies), the published code may not.
 */
const packagesDir = join(import.meta.dirname, '..', '..', '..');
const plugins = readdirSync(packagesDir).filter((name) => name.startsWith('plugin-'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('plugin packages are independent', () => {
  it('finds the plugin packages', () => {
    expect(plugins.length).toBeGreaterThanOrEqual(5);
  });

  it.each(plugins)('%s depends on no other plugin package at run time', (name) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const runtime = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
    expect(runtime.filter((dep) => dep.startsWith('@whittle/plugin-'))).toEqual([]);
  });

  it.each(plugins)('%s/src imports no other plugin package', (name) => {
    const offending = sourceFiles(join(packagesDir, name, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(@whittle\/plugin-[^'/]+)/g)]
        .map((m) => m[1])
        .filter((imported) => imported !== `@whittle/${name}`)
        .map((imported) => `${file}: ${imported}`),
    );
    expect(offending).toEqual([]);
  });
});
