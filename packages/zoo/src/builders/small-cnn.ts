import * as tf from '@tensorflow/tfjs';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface SmallCnnOptions {
  readonly inputShape: ImageShape;
  readonly numClasses: number;
  /** Filters of the first block; blocks 2 and 3 use 2× and 4×. Default 16. */
  readonly width?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'small-cnn';
const KNOWN = ['inputShape', 'numClasses', 'width', 'seed', 'bnMomentum'];

/**
 * A three-block CNN: [conv3×3 (w, 2w, 4w filters, no bias) → BN → ReLU] ×3, 2×2 max-pool after blocks 1
 * and 2, global average pooling and a softmax Dense. Width 16 on 32×32×3 with 10 classes has 24,570 params.
 *
 * ```ts
 * const model = buildSmallCnn({ inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
 * model.predict(tf.zeros([1, 32, 32, 3]));
 * ```
 */
export function buildSmallCnn(options: SmallCnnOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const inputShape = requireImageShape(MODEL, options.inputShape, 4);
  const numClasses = requireInt(MODEL, 'numClasses', options.numClasses, 1);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 1, OPTION_LIMITS.width);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const seeds = new InitializerSeeds(seed, MODEL);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  let x = input;
  for (let block = 1; block <= 3; block++) {
    x = convBnRelu(x, { name: `block${block}`, filters: width * 2 ** (block - 1), kernelSize: 3, bnMomentum }, seeds);
    if (block < 3) x = tf.layers.maxPooling2d({ name: `block${block}_pool`, poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({
    name: 'predictions', units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotUniform(),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'small_cnn', inputs: input, outputs: output });
}
