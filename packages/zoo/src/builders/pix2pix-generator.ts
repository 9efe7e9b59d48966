import * as tf from '@tensorflow/tfjs';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { requireOutputActivation, type OutputActivation } from '../common/output-activation.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface Pix2PixGeneratorOptions {
  readonly inputShape: ImageShape;
  /** Channels of the generated image. Default: the input's channels. */
  readonly outChannels?: number;
  /** Filters of the first down block (pix2pix uses 64). Level i uses width × min(2^i, 8). Default 16. */
  readonly width?: number;
  /** Number of stride-2 down blocks; height and width must be divisible by 2^depth. Default: log2 of the
   * largest power of two dividing both sides, at most 8 (so 256×256 gives the paper's 8). */
  readonly depth?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
  /** Activation of the output layer: `tanh` (pix2pix, images in [−1, 1]) or `sigmoid` (images in [0, 1]). Default `tanh`. */
  readonly outActivation?: OutputActivation;
}

const MODEL = 'pix2pix-generator';
const KNOWN = ['inputShape', 'outChannels', 'width', 'depth', 'seed', 'bnMomentum', 'outActivation'];
/** pix2pix initialises every conv with N(0, 0.02). */
const INIT_STDDEV = 0.02;

/**
 * The pix2pix U-Net generator (Isola et al. 2017): down blocks Conv2D 4×4 stride 2 → BN (not on the first) →
 * LeakyReLU 0.2; up blocks Conv2DTranspose 4×4 stride 2 → BN → ReLU, each concatenated with the mirrored down
 * block; a final Conv2DTranspose to `outChannels` with tanh (or `outActivation`). Dropout is left out so outputs stay deterministic.
 *
 * ```ts
 * const g = buildPix2PixGenerator({ inputShape: [32, 32, 3], width: 8, seed: 0 });
 * g.outputs[0].shape; // [null, 32, 32, 3]
 * ```
 */
export function buildPix2PixGenerator(options: Pix2PixGeneratorOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const shape = requireImageShape(MODEL, options.inputShape, 2);
  const depth = requireInt(MODEL, 'depth', options.depth ?? defaultDepth(shape), 1, 8);
  const inputShape = requireImageShape(MODEL, shape, 2 ** depth, 2 ** depth);
  const outChannels = requireInt(MODEL, 'outChannels', options.outChannels ?? inputShape[2], 1, OPTION_LIMITS.channels);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 1, OPTION_LIMITS.width);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const outActivation = requireOutputActivation(MODEL, options.outActivation ?? 'tanh');
  const seeds = new InitializerSeeds(seed, MODEL);
  const filtersAt = (level: number): number => width * Math.min(2 ** level, 8);

  const input = tf.input({ name: 'input_image', shape: [...inputShape] });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let level = 0; level < depth; level++) {
    const name = `down${level + 1}`;
    x = tf.layers.conv2d({
      name: `${name}_conv`, filters: filtersAt(level), kernelSize: 4, strides: 2, padding: 'same', useBias: false,
      kernelInitializer: seeds.randomNormal(INIT_STDDEV),
    }).apply(x) as tf.SymbolicTensor;
    if (level > 0) x = tf.layers.batchNormalization({ name: `${name}_bn`, momentum: bnMomentum }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ name: `${name}_lrelu`, alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
    skips.push(x);
  }
  // The deepest down block is the bottleneck; every shallower one is a skip for the matching up block.
  for (let level = depth - 2; level >= 0; level--) {
    const name = `up${level + 1}`;
    x = tf.layers.conv2dTranspose({
      name: `${name}_deconv`, filters: filtersAt(level), kernelSize: 4, strides: 2, padding: 'same', useBias: false,
      kernelInitializer: seeds.randomNormal(INIT_STDDEV),
    }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `${name}_bn`, momentum: bnMomentum }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `${name}_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ name: `${name}_concat`, axis: -1 }).apply([x, skips[level] as tf.SymbolicTensor]) as tf.SymbolicTensor;
  }
  const output = tf.layers.conv2dTranspose({
    name: 'output_deconv', filters: outChannels, kernelSize: 4, strides: 2, padding: 'same', activation: outActivation,
    kernelInitializer: seeds.randomNormal(INIT_STDDEV),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'pix2pix_generator', inputs: input, outputs: output });
}

/** How many times both sides can be halved exactly, capped at 8. */
function defaultDepth([h, w]: ImageShape): number {
  let depth = 0;
  while (depth < 8 && h % 2 ** (depth + 1) === 0 && w % 2 ** (depth + 1) === 0) depth++;
  return Math.max(depth, 1);
}
