import { builtinDataProviders } from '../data/index.js';
import { builtinMetricProviders, builtinTasks } from '../metrics/index.js';
import { KERNEL_VERSION } from '../version.js';
import { definePluginManifest } from './plugin.js';

/** What the kernel itself provides: the built-in data providers (IDX, CIFAR-10, the embedded sample), metric providers and tasks. */
export const kernelManifest = definePluginManifest({
  name: '@whittle/kernel',
  version: KERNEL_VERSION,
  kernel: KERNEL_VERSION,
  datasets: builtinDataProviders,
  metrics: builtinMetricProviders,
  tasks: builtinTasks,
});
