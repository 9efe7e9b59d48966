import { definePluginManifest } from '@whittle/kernel';
import { dataProviders } from './data-providers.js';

/** This package's version, as in its package.json. */
export const DATA_VERSION = '0.1.0';

/**
 * The manifest of `@whittle/data`: its data providers. The CLI loads it by default (the
 * `defaultManifests` option of `loadPipeline` / `runPipeline`), so pipelines need not list it in `plugins`.
 *
 * ```ts
 * const report = await runPipeline('pipeline.json', { defaultManifests: [dataManifest] });
 * ```
 */
export const dataManifest = definePluginManifest({
  name: '@whittle/data',
  version: DATA_VERSION,
  kernel: '^0.1.0',
  datasets: dataProviders,
});
