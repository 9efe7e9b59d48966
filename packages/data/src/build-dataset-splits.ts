import * as tf from '@tensorflow/tfjs';
import { inputError, type ClassificationSplits, type DataCommonOptions, type LabeledTensors, type SeededRng } from '@whittle/kernel';
import type { LabeledImages } from './labeled-images.js';

/** What a provider has read, before the common options are applied. */
export interface DatasetSource {
  readonly name: string;
  readonly train: LabeledImages;
  readonly test?: LabeledImages;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
}

/** Default fraction of the training examples held out for validation. */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

/** Per-channel affine map applied to raw pixel bytes: (v − shift[c]) · scale[c]. */
interface PixelMap {
  readonly shift: Float64Array;
  readonly scale: Float64Array;
}

function checkCommon(common: DataCommonOptions): void {
  const { validationSplit, trainLimit, testLimit, normalize } = common;
  if (validationSplit !== undefined && !(validationSplit >= 0 && validationSplit < 1)) {
    throw inputError('BAD_DATA_OPTION', `data.validationSplit must be in [0, 1), got ${validationSplit}`, 'Use e.g. 0.1 to hold out 10% of the training examples.');
  }
  for (const [name, value] of [['trainLimit', trainLimit], ['testLimit', testLimit]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw inputError('BAD_DATA_OPTION', `data.${name} must be a positive integer, got ${value}`, `Remove data.${name} to use every example.`);
    }
  }
  if (normalize !== undefined && !['unit', 'standardize', 'none'].includes(normalize)) {
    throw inputError('BAD_DATA_OPTION', `data.normalize must be "unit", "standardize" or "none", got ${JSON.stringify(normalize)}`, 'Use "unit" (pixel/255) unless the model expects otherwise.');
  }
}

function checkLabels(data: LabeledImages, numClasses: number): void {
  const i = data.labels.findIndex((label) => label >= numClasses);
  if (i >= 0) {
    throw inputError('DATA_FILE_INVALID', `${data.source}: example ${i} has label ${data.labels[i]}, but the dataset has ${numClasses} classes`, 'Check that the label file belongs to the images, or set the class names.');
  }
  const pixels = data.shape[0] * data.shape[1] * data.shape[2];
  if (data.images.length !== data.labels.length * pixels) {
    throw inputError('DATA_FILE_INVALID', `${data.source}: ${data.images.length / pixels} images but ${data.labels.length} labels`, 'Pair each image file with its own label file.');
  }
}

/** Statistics of the training examples, per channel, in pixel units. */
function standardizeMap(data: LabeledImages, indices: Int32Array): PixelMap {
  const [h, w, c] = data.shape;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  const perImage = h * w * c;
  for (const index of indices) {
    const base = index * perImage;
    for (let p = 0; p < perImage; p++) {
      const v = data.images[base + p] ?? 0;
      const ch = p % c;
      sum[ch] = (sum[ch] ?? 0) + v;
      sumSq[ch] = (sumSq[ch] ?? 0) + v * v;
    }
  }
  const count = indices.length * h * w;
  const shift = new Float64Array(c);
  const scale = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const mean = (sum[ch] ?? 0) / count;
    const std = Math.sqrt(Math.max((sumSq[ch] ?? 0) / count - mean * mean, 0));
    shift[ch] = mean;
    scale[ch] = std > 1e-6 ? 1 / std : 1; // a constant channel stays centred, not divided by zero
  }
  return { shift, scale };
}

function constantMap(channels: number, scale: number): PixelMap {
  return { shift: new Float64Array(channels), scale: new Float64Array(channels).fill(scale) };
}

function toTensors(data: LabeledImages, indices: ArrayLike<number>, map: PixelMap, numClasses: number): LabeledTensors {
  const [h, w, c] = data.shape;
  const perImage = h * w * c;
  const n = indices.length;
  const x = new Float32Array(n * perImage);
  const y = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const src = (indices[i] ?? 0) * perImage;
    const dst = i * perImage;
    for (let p = 0; p < perImage; p++) {
      const ch = p % c;
      x[dst + p] = ((data.images[src + p] ?? 0) - (map.shift[ch] ?? 0)) * (map.scale[ch] ?? 1);
    }
    y[i * numClasses + (data.labels[indices[i] ?? 0] ?? 0)] = 1;
  }
  return { x: tf.tensor4d(x, [n, h, w, c]), y: tf.tensor2d(y, [n, numClasses]) };
}

/**
 * Applies the common data options to decoded images: a seeded shuffle of the training examples,
 * then `trainLimit`, then the validation split (the first `round(n · validationSplit)` shuffled
 * examples); `testLimit` keeps the first test examples in file order. Pixels are normalised
 * (`unit`: /255, `standardize`: per-channel mean/std of the training split only, `none`: raw 0–255)
 * and labels one-hot encoded: classification splits. The same seed gives the same split.
 *
 * ```ts
 * const splits = buildDatasetSplits({ name: 'toy', train, numClasses: 10 }, { validationSplit: 0.2 }, SeededRng.from(1));
 * splits.dispose();
 * ```
 */
export function buildDatasetSplits(source: DatasetSource, common: DataCommonOptions, rng: SeededRng): ClassificationSplits {
  checkCommon(common);
  const { train, test, numClasses } = source;
  checkLabels(train, numClasses);
  if (test !== undefined) {
    checkLabels(test, numClasses);
    if (test.shape.join() !== train.shape.join()) {
      throw inputError('DATA_FILE_INVALID', `${test.source}: test images are ${test.shape.join('×')}, training images ${train.shape.join('×')}`, 'Use test files from the same dataset.');
    }
  }
  const order = rng.fork('shuffle').permutation(train.labels.length);
  const kept = order.subarray(0, Math.min(common.trainLimit ?? order.length, order.length));
  const validationCount = Math.round(kept.length * (common.validationSplit ?? DEFAULT_VALIDATION_SPLIT));
  if (kept.length - validationCount < 1) {
    throw inputError('BAD_DATA_OPTION', `${source.name}: no training examples left (${kept.length} examples, ${validationCount} for validation)`, 'Lower data.validationSplit or raise data.trainLimit.');
  }
  const validationIdx = kept.subarray(0, validationCount);
  const trainIdx = kept.subarray(validationCount);
  const channels = train.shape[2];
  const normalize = common.normalize ?? 'unit';
  const map = normalize === 'standardize' ? standardizeMap(train, trainIdx) : constantMap(channels, normalize === 'unit' ? 1 / 255 : 1);

  const tensors: tf.Tensor[] = [];
  const track = (t: LabeledTensors): LabeledTensors => {
    tensors.push(t.x, t.y);
    return t;
  };
  const splits: ClassificationSplits = {
    name: source.name,
    task: 'classification',
    train: track(toTensors(train, trainIdx, map, numClasses)),
    validation: track(toTensors(train, validationIdx, map, numClasses)),
    ...(test === undefined
      ? {}
      : { test: track(toTensors(test, Array.from({ length: Math.min(common.testLimit ?? test.labels.length, test.labels.length) }, (_, i) => i), map, numClasses)) }),
    numClasses,
    inputShape: [train.shape[0], train.shape[1], train.shape[2]],
    ...(source.classNames === undefined ? {} : { classNames: source.classNames }),
    dispose: () => tf.dispose(tensors.filter((t) => !t.isDisposed)),
  };
  return splits;
}
