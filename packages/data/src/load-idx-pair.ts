import { inputError } from '@whittle/kernel';
import { parseIdx } from './idx-parser.js';
import type { LabeledImages } from './labeled-images.js';
import { readDataFile } from './read-data-file.js';

/**
 * Reads an IDX image file ([n, h, w] or [n, h, w, c]) and its IDX label file ([n]) and checks that they agree.
 *
 * ```ts
 * const train = await loadIdxPair('data/train-images-idx3-ubyte.gz', 'data/train-labels-idx1-ubyte.gz');
 * ```
 */
export async function loadIdxPair(imagesPath: string, labelsPath: string): Promise<LabeledImages> {
  const [imageBytes, labelBytes] = await Promise.all([readDataFile(imagesPath, 'images'), readDataFile(labelsPath, 'labels')]);
  const images = parseIdx(imageBytes, imagesPath);
  const labels = parseIdx(labelBytes, labelsPath);
  const [n, h, w, c = 1] = images.dims;
  if (images.dims.length < 3 || images.dims.length > 4 || n === undefined || h === undefined || w === undefined) {
    throw inputError('DATA_FILE_INVALID', `${imagesPath}: IDX dims [${images.dims.join(', ')}] are not images ([n, h, w] or [n, h, w, c])`, 'Did you swap the image and label files?');
  }
  if (labels.dims.length !== 1) {
    throw inputError('DATA_FILE_INVALID', `${labelsPath}: IDX dims [${labels.dims.join(', ')}] are not labels ([n])`, 'Did you swap the image and label files?');
  }
  if (labels.dims[0] !== n) {
    throw inputError('DATA_FILE_INVALID', `${imagesPath} has ${n} images but ${labelsPath} has ${labels.dims[0]} labels`, 'Pair each image file with its own label file (train with train, t10k with t10k).');
  }
  return { images: images.data, labels: labels.data, shape: [h, w, c], source: `${imagesPath} + ${labelsPath}` };
}
