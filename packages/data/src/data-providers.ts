import type { DataProvider } from '@whittle/kernel';
import { cifar10Provider } from './cifar10-provider.js';
import { fashionMnistSampleProvider } from './fashion-mnist-sample-provider.js';
import { idxProvider } from './idx-provider.js';
import { imageFolderProvider } from './image-folder-provider.js';

/**
 * The data providers this package registers, by the name a pipeline's `data.provider` uses:
 * `fashion-mnist-sample`, `idx`, `cifar10`, `image-folder`.
 *
 * ```ts
 * const sample = dataProviders.find((p) => p.name === 'fashion-mnist-sample')!;
 * ```
 */
export const dataProviders: readonly DataProvider[] = [
  fashionMnistSampleProvider,
  idxProvider,
  cifar10Provider,
  imageFolderProvider,
];
