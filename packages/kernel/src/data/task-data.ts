import type { ClassificationSplits, DatasetSplits, ImageToImageSplits } from './dataset.js';

/**
 * Narrows splits to classification (one-hot `y` over `numClasses`).
 *
 * ```ts
 * if (isClassification(splits)) console.log(splits.numClasses);
 * ```
 */
export function isClassification(splits: DatasetSplits): splits is ClassificationSplits {
  return splits.task === 'classification' && splits.numClasses !== undefined && splits.train.y !== undefined;
}

/**
 * Narrows splits to image-to-image (paired input and target images).
 *
 * ```ts
 * if (isImageToImage(splits)) console.log(splits.train.y.shape);
 * ```
 */
export function isImageToImage(splits: DatasetSplits): splits is ImageToImageSplits {
  return splits.task === 'image-to-image' && splits.train.y !== undefined && splits.train.y.rank === 4;
}
