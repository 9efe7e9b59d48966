import { builtinDataProviders } from '../data/index.js';
import { KERNEL_VERSION } from '../version.js';
import { definePluginManifest } from './plugin.js';

/**
 * What the kernel itself provides: the built-in data providers (IDX, CIFAR-10, the embedded sample).
 * Metric providers and tasks come from `@whittle/metrics`, which the runner's callers pass as a default manifest.
 */
export const kernelManifest = definePluginManifest({
  name: '@whittle/kernel',
  version: KERNEL_VERSION,
  kernel: KERNEL_VERSION,
  datasets: builtinDataProviders,
});
