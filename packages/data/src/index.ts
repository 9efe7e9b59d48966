/**
 * @whittle/data — data providers: IDX (the MNIST family), CIFAR-10, folders of images per class,
 * the embedded Fashion-MNIST sample; seeded splits, normalisation and seeded batches.
 * The default export is the manifest that registers the providers.
 */
import { dataManifest } from './data-manifest.js';

export * from './labeled-images.js';
export * from './idx-parser.js';
export * from './cifar10-parser.js';
export * from './read-data-file.js';
export * from './load-idx-pair.js';
export * from './build-dataset-splits.js';
export * from './batches.js';
export * from './data-assets.js';
export * from './idx-provider.js';
export * from './cifar10-provider.js';
export * from './fashion-mnist-sample-provider.js';
export * from './list-image-folder.js';
export * from './decode-images.js';
export * from './image-folder-provider.js';
export * from './data-providers.js';
export { dataManifest, DATA_VERSION } from './data-manifest.js';

export default dataManifest;
