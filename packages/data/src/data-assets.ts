import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeError } from '@whittle/kernel';

/**
 * The data package's root: the nearest folder above this module that holds a package.json.
 * Walking up (instead of a fixed `../`) works from `src/` under vitest and from
 * `dist/src/` once built, since only the package root has a package.json.
 */
function dataPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw runtimeError('ASSET_NOT_FOUND', `no package.json above ${fileURLToPath(import.meta.url)}`, 'Reinstall @whittle/data.');
    dir = parent;
  }
}

/**
 * Absolute path of a file shipped in `@whittle/data/assets/`.
 *
 * ```ts
 * const sampleDir = dataAssetPath('fashion-mnist-sample');
 * ```
 */
export function dataAssetPath(...segments: string[]): string {
  const path = join(dataPackageRoot(), 'assets', ...segments);
  if (!existsSync(path)) throw runtimeError('ASSET_NOT_FOUND', `data asset ${path} is missing`, 'Reinstall @whittle/data: its package must include the assets folder.');
  return path;
}
