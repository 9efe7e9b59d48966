import { cifar10Provider } from './cifar10-provider.js';
import type { DataProvider } from './dataset.js';
import { fashionMnistSampleProvider } from './fashion-mnist-sample-provider.js';
import { idxProvider } from './idx-provider.js';

/**
 * The data providers the kernel ships, by the name a pipeline's `data.provider` uses:
 * `idx`, `cifar10`, `fashion-mnist-sample`.
 *
 * ```ts
 * const sample = builtinDataProviders.find((p) => p.name === 'fashion-mnist-sample')!;
 * ```
 */
export const builtinDataProviders: readonly DataProvider<never>[] = [
  idxProvider,
  cifar10Provider,
  fashionMnistSampleProvider,
];
