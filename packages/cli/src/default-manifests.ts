import type { PluginManifest } from '@whittle/kernel';

/**
 * Manifests every command loads besides a pipeline's `plugins` (see `RunPipelineOptions.manifests`):
 * what a run needs without the pipeline naming it. Empty while the kernel registers the metrics itself.
 */
export function defaultManifests(): readonly PluginManifest[] {
  return [];
}
