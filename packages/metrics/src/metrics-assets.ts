import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeError } from '@whittle/kernel';

/** The package root: the nearest folder above this module with a package.json (works from src/ and dist/src/). */
function metricsPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw runtimeError('ASSET_NOT_FOUND', `no package.json above ${fileURLToPath(import.meta.url)}`, 'Reinstall @whittle/metrics.');
    dir = parent;
  }
}

/**
 * Absolute path of a file shipped in `@whittle/metrics/assets/`.
 *
 * ```ts
 * const modelJson = metricsAssetPath('fashion-mnist-classifier', 'model.json');
 * ```
 */
export function metricsAssetPath(...segments: string[]): string {
  const path = join(metricsPackageRoot(), 'assets', ...segments);
  if (!existsSync(path)) throw runtimeError('ASSET_NOT_FOUND', `metrics asset ${path} is missing`, 'Reinstall @whittle/metrics: its package must include the assets folder.');
  return path;
}
