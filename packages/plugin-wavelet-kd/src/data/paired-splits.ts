import * as tf from '@tensorflow/tfjs';
import { inputError, type DataCommonOptions, type ImageToImageSplits, type PairedImages, type SeededRng } from '@whittle/kernel';

/**
 * `count` pairs of input and target images, pixels in [0, 1]: `write(i, input, target)` fills one pair
 * (row-major [h, w, c] each) into the given arrays, so a provider can compute pairs on demand (only those
 * the limits keep).
 */
export interface PairedPixels {
  readonly inputShape: readonly [number, number, number];
  readonly targetShape: readonly [number, number, number];
  readonly count: number;
  write(index: number, input: Float32Array, target: Float32Array): void;
}

/**
 * `PairedPixels` over two whole arrays of pixels.
 *
 * ```ts
 * const pixels = pairedPixelsOf(inputs, targets, [32, 32, 1], [32, 32, 1]);
 * ```
 */
export function pairedPixelsOf(inputs: Float32Array, targets: Float32Array, inputShape: readonly [number, number, number], targetShape: readonly [number, number, number]): PairedPixels {
  const inSize = inputShape[0] * inputShape[1] * inputShape[2];
  const outSize = targetShape[0] * targetShape[1] * targetShape[2];
  return {
    inputShape, targetShape, count: inputs.length / inSize,
    write: (i, input, target) => {
      input.set(inputs.subarray(i * inSize, (i + 1) * inSize));
      target.set(targets.subarray(i * outSize, (i + 1) * outSize));
    },
  };
}

/** Default fraction held out for validation, as the data package's providers. */
const DEFAULT_VALIDATION_SPLIT = 0.1;

function checkCommon(who: string, common: DataCommonOptions): void {
  if (common.normalize !== undefined && common.normalize !== 'unit') {
    throw inputError('BAD_DATA_OPTION', `${who}: data.normalize must be "unit" (pixels in [0, 1], what the image metrics and the sigmoid generator expect), got ${JSON.stringify(common.normalize)}`,
      'Remove data.normalize or set it to "unit".');
  }
  if (common.validationSplit !== undefined && !(common.validationSplit >= 0 && common.validationSplit < 1)) {
    throw inputError('BAD_DATA_OPTION', `${who}: data.validationSplit must be in [0, 1), got ${common.validationSplit}`, 'Use e.g. 0.1.');
  }
  for (const [name, value] of [['trainLimit', common.trainLimit], ['testLimit', common.testLimit]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw inputError('BAD_DATA_OPTION', `${who}: data.${name} must be a positive integer, got ${value}`, `Remove data.${name} to use every example.`);
    }
  }
}

function take(pixels: PairedPixels, indices: ArrayLike<number>): PairedImages {
  const [h, w, c] = pixels.inputShape;
  const [th, tw, tc] = pixels.targetShape;
  const inSize = h * w * c;
  const outSize = th * tw * tc;
  const x = new Float32Array(indices.length * inSize);
  const y = new Float32Array(indices.length * outSize);
  for (let i = 0; i < indices.length; i++) pixels.write(indices[i] ?? 0, x.subarray(i * inSize, (i + 1) * inSize), y.subarray(i * outSize, (i + 1) * outSize));
  return { x: tf.tensor4d(x, [indices.length, h, w, c]), y: tf.tensor4d(y, [indices.length, th, tw, tc]) };
}

/**
 * Image-to-image splits from paired pixels: a seeded shuffle of the training pairs, `trainLimit`, then the
 * validation split (the first `round(n · validationSplit)` shuffled pairs); `testLimit` keeps the first
 * test pairs in their order. Only `normalize: "unit"` (the pixels as given, in [0, 1]) is accepted.
 *
 * ```ts
 * const splits = pairedSplits('pairs', train, test, { validationSplit: 0.1 }, rng);
 * ```
 */
export function pairedSplits(name: string, train: PairedPixels, test: PairedPixels | undefined, common: DataCommonOptions, rng: SeededRng): ImageToImageSplits {
  checkCommon(name, common);
  const order = rng.fork('shuffle').permutation(train.count);
  const kept = order.subarray(0, Math.min(common.trainLimit ?? order.length, order.length));
  const validationCount = Math.round(kept.length * (common.validationSplit ?? DEFAULT_VALIDATION_SPLIT));
  if (kept.length - validationCount < 1) {
    throw inputError('BAD_DATA_OPTION', `${name}: no training pairs left (${kept.length} pairs, ${validationCount} for validation)`, 'Lower data.validationSplit or raise data.trainLimit.');
  }
  const tensors: tf.Tensor[] = [];
  const track = (p: PairedImages): PairedImages => {
    tensors.push(p.x, p.y);
    return p;
  };
  const testSplit = test === undefined ? undefined : track(take(test, Array.from({ length: Math.min(common.testLimit ?? test.count, test.count) }, (_, i) => i)));
  return {
    name,
    task: 'image-to-image',
    train: track(take(train, kept.subarray(validationCount))),
    validation: track(take(train, kept.subarray(0, validationCount))),
    ...(testSplit === undefined ? {} : { test: testSplit }),
    inputShape: train.inputShape,
    dispose: () => tf.dispose(tensors.filter((t) => !t.isDisposed)),
  };
}
