import * as tf from '@tensorflow/tfjs';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface VggSmallOptions {
  readonly inputShape: ImageShape;
  readonly numClasses: number;
  /** Filters of stage 1; stages 2 and 3 use 2× and 4×. Default 16. */
  readonly width?: number;
  /** Units of the hidden Dense layer. Default 8 × width. */
  readonly denseUnits?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'vgg-small';
const KNOWN = ['inputShape', 'numClasses', 'width', 'denseUnits', 'seed', 'bnMomentum'];

/**
 * A small VGG: three stages of two [conv3×3 (no bias) → BN → ReLU] with w, 2w, 4w filters, each followed by a
 * 2×2 max-pool, then Flatten → Dense(denseUnits, ReLU) → Dense(numClasses, softmax). The Flatten → Dense
 * junction is the case where pruning a conv's channels changes the next Dense's input rows.
 *
 * ```ts
 * const vgg = buildVggSmall({ inputShape: [32, 32, 3], numClasses: 10, width: 8, seed: 3 });
 * vgg.getLayer('flatten').outputShape; // [null, 512]
 * ```
 */
export function buildVggSmall(options: VggSmallOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const inputShape = requireImageShape(MODEL, options.inputShape, 8);
  const numClasses = requireInt(MODEL, 'numClasses', options.numClasses, 1);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 1, OPTION_LIMITS.width);
  const denseUnits = requireInt(MODEL, 'denseUnits', options.denseUnits ?? 8 * width, 1, OPTION_LIMITS.channels);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const seeds = new InitializerSeeds(seed, MODEL);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  let x = input;
  for (let stage = 1; stage <= 3; stage++) {
    const filters = width * 2 ** (stage - 1);
    for (let conv = 1; conv <= 2; conv++) {
      x = convBnRelu(x, { name: `stage${stage}_${conv}`, filters, kernelSize: 3, bnMomentum }, seeds);
    }
    x = tf.layers.maxPooling2d({ name: `stage${stage}_pool`, poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'fc1', units: denseUnits, activation: 'relu', kernelInitializer: seeds.heNormal() }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({
    name: 'predictions', units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotUniform(),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'vgg_small', inputs: input, outputs: output });
}
