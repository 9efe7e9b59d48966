import type { PluginManifest } from '@whittle/kernel';
import metrics from '@whittle/metrics';

/**
 * Manifests every command loads besides a pipeline's `plugins` (see `RunPipelineOptions.manifests`):
 * what a run needs without the pipeline naming it — the metric providers and tasks of
 * `@whittle/metrics` (params, MACs, accuracy, L1, PSNR; classification, image-to-image, generative).
 * The kernel imports none of them; the CLI (and code calling `runPipeline`) passes them.
 */
export function defaultManifests(): readonly PluginManifest[] {
  return [metrics];
}
