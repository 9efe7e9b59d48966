import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeError } from '../errors/whittle-error.js';

/**
 * The kernel package's root: the nearest folder above this module that holds a package.json.
 * Walking up (instead of a fixed `../../`) works from `src/data/` under vitest and from
 * `dist/src/data/` once built, since only the package root has a package.json.
 */
function kernelPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw runtimeError('ASSET_NOT_FOUND', `no package.json above ${fileURLToPath(import.meta.url)}`, 'Reinstall @whittle/kernel.');
    dir = parent;
  }
}

/**
 * Absolute path of a file shipped in `@whittle/kernel/assets/`.
 *
 * ```ts
 * const sampleDir = kernelAssetPath('fashion-mnist-sample');
 * ```
 */
export function kernelAssetPath(...segments: string[]): string {
  const path = join(kernelPackageRoot(), 'assets', ...segments);
  if (!existsSync(path)) throw runtimeError('ASSET_NOT_FOUND', `kernel asset ${path} is missing`, 'Reinstall @whittle/kernel: its package must include the assets folder.');
  return path;
}
