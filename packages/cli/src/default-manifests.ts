import dataManifest from '@whittle/data';
import type { PluginManifest } from '@whittle/kernel';
import metricsManifest from '@whittle/metrics';

/**
 * The manifests the CLI loads for every pipeline besides its `plugins` (the `defaultManifests` option of
 * `loadPipeline` / `runPipeline`): what a run needs without the pipeline naming it — `@whittle/data`'s
 * data providers (so a pipeline names `"provider": "fashion-mnist-sample"` without listing the
 * package) and `@whittle/metrics`' metric providers and tasks (params, MACs, accuracy, L1, PSNR;
 * classification, image-to-image, generative). The kernel imports none of them. Listed by
 * `whittle plugins` and composed into `whittle schema`.
 *
 * ```ts
 * await runPipeline('pipeline.json', { defaultManifests: DEFAULT_MANIFESTS });
 * ```
 */
export const DEFAULT_MANIFESTS: readonly PluginManifest[] = [dataManifest, metricsManifest];
