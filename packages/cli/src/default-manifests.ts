import dataManifest from '@whittle/data';
import type { PluginManifest } from '@whittle/kernel';

/**
 * The manifests the CLI loads for every pipeline besides its `plugins` (the `defaultManifests` option of
 * `loadPipeline` / `runPipeline`): `@whittle/data`'s data providers, so that a pipeline names
 * `"provider": "fashion-mnist-sample"` without listing the package. Listed by `whittle plugins` and
 * composed into `whittle schema`.
 *
 * ```ts
 * await runPipeline('pipeline.json', { defaultManifests: DEFAULT_MANIFESTS });
 * ```
 */
export const DEFAULT_MANIFESTS: readonly PluginManifest[] = [dataManifest];
