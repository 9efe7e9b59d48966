import * as tf from '@tensorflow/tfjs';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface InceptionStyleOptions {
  readonly inputShape: ImageShape;
  readonly numClasses: number;
  /** Filters of the stem and of each stage-1 branch; stage 2 uses 2×. Default 16. */
  readonly width?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'inception-style';
const KNOWN = ['inputShape', 'numClasses', 'width', 'seed', 'bnMomentum'];
const BLOCKS_PER_STAGE = 2;

/**
 * A small GoogLeNet-style network: conv3×3-BN-ReLU stem, two stages of two inception blocks (branches 1×1,
 * 1×1→3×3, 1×1→5×5 and 3×3 max-pool→1×1, joined by Concatenate) with a 2×2 max-pool between stages, global
 * average pooling and a softmax Dense. Concatenate makes each branch's channels an offset range of the next
 * layer's input, which pruning must track.
 *
 * ```ts
 * const net = buildInceptionStyle({ inputShape: [32, 32, 3], numClasses: 10, width: 8, seed: 0 });
 * net.getLayer('stage1_block1_concat').outputShape; // [null, 32, 32, 24]
 * ```
 */
export function buildInceptionStyle(options: InceptionStyleOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const inputShape = requireImageShape(MODEL, options.inputShape, 2);
  const numClasses = requireInt(MODEL, 'numClasses', options.numClasses, 1);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 2, OPTION_LIMITS.width);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const seeds = new InitializerSeeds(seed, MODEL);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  let x = convBnRelu(input, { name: 'stem', filters: width, kernelSize: 3, bnMomentum }, seeds);
  for (let stage = 1; stage <= 2; stage++) {
    if (stage > 1) x = tf.layers.maxPooling2d({ name: `stage${stage}_pool`, poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    for (let block = 1; block <= BLOCKS_PER_STAGE; block++) {
      x = inceptionBlock(x, `stage${stage}_block${block}`, width * stage, bnMomentum, seeds);
    }
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({
    name: 'predictions', units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotUniform(),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'inception_style', inputs: input, outputs: output });
}

/**
 * Four branches on the same input: 1×1 (f), 1×1 (f/2) → 3×3 (f), 1×1 (f/4) → 5×5 (f/2), max-pool 3×3 → 1×1 (f/2);
 * output channels 3f. Channel counts are rounded down, at least 1.
 */
function inceptionBlock(input: tf.SymbolicTensor, name: string, f: number, bnMomentum: number, seeds: InitializerSeeds): tf.SymbolicTensor {
  const half = Math.max(1, Math.floor(f / 2));
  const quarter = Math.max(1, Math.floor(f / 4));
  const unit = (x: tf.SymbolicTensor, suffix: string, filters: number, kernelSize: number): tf.SymbolicTensor =>
    convBnRelu(x, { name: `${name}_${suffix}`, filters, kernelSize, bnMomentum }, seeds);

  const branch1 = unit(input, 'b1x1', f, 1);
  const branch3 = unit(unit(input, 'b3x3_reduce', half, 1), 'b3x3', f, 3);
  const branch5 = unit(unit(input, 'b5x5_reduce', quarter, 1), 'b5x5', half, 5);
  const pooled = tf.layers.maxPooling2d({ name: `${name}_pool`, poolSize: 3, strides: 1, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const branchPool = unit(pooled, 'pool_proj', half, 1);
  return tf.layers.concatenate({ name: `${name}_concat`, axis: -1 }).apply([branch1, branch3, branch5, branchPool]) as tf.SymbolicTensor;
}
