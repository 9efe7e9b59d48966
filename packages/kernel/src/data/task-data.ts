import type { ClassificationSplits, DatasetSplits } from './dataset.js';

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
