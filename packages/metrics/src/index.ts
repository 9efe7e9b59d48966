/**
 * @whittle/metrics — metric providers (params, MACs — counted by @whittle/graph's layer operations —, accuracy, L1, PSNR, SSIM,
 * Haar band errors, a Fréchet distance on a committed Fashion-MNIST classifier's features), the Haar DWT, latency measurement and
 * the tasks that name them (classification, image-to-image, generative). Its default export is a
 * manifest the runner loads besides a pipeline's plugins (the whittle CLI passes it).
 */
import { definePluginManifest } from '@whittle/kernel';
import { builtinTasks } from './builtin-tasks.js';
import { builtinMetricProviders } from './metric-providers.js';

export * from './count-params.js';
export * from './evaluate-accuracy.js';
export * from './image-metrics.js';
export * from './measure-latency.js';
export * from './round-robin-latency.js';
export * from './steady-latency.js';
export * from './metric-providers.js';
export * from './haar-dwt.js';
export * from './band-error.js';
export * from './ssim.js';
export * from './image-quality.js';
export * from './frechet-distance.js';
export * from './frechet-classifier.js';
export * from './metrics-assets.js';
export * from './builtin-tasks.js';

export default definePluginManifest({
  name: '@whittle/metrics',
  version: '0.1.0',
  kernel: '^0.1.0',
  metrics: builtinMetricProviders,
  tasks: builtinTasks,
});
