import * as tf from '@tensorflow/tfjs';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type OutputActivation, requireOutputActivation } from '../common/output-activation.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface UNetOptions {
  readonly inputShape: ImageShape;
  /** Channels of the per-pixel output (classes for segmentation, colour channels for images). */
  readonly outChannels: number;
  /** Filters of the first level; level i uses width × 2^i. Default 16. */
  readonly width?: number;
  /** Number of 2× downsamplings; height and width must be divisible by 2^depth. Default 3. */
  readonly depth?: number;
  /** Activation of the final 1×1 conv. Default 'linear'. */
  readonly outActivation?: OutputActivation;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'unet';
const KNOWN = ['inputShape', 'outChannels', 'width', 'depth', 'outActivation', 'seed', 'bnMomentum'];

/**
 * A U-Net (Ronneberger et al. 2015) with BN: each encoder level is two conv3×3-BN-ReLU then a 2×2 max-pool;
 * the bottleneck is two more; each decoder level is UpSampling2D(2) → conv3×3-BN-ReLU (the "up-conv"),
 * Concatenate with the encoder skip, and two conv3×3-BN-ReLU; a 1×1 conv maps to `outChannels`.
 *
 * ```ts
 * const unet = buildUNet({ inputShape: [32, 32, 1], outChannels: 2, width: 8, depth: 2, seed: 0 });
 * unet.outputs[0].shape; // [null, 32, 32, 2]
 * ```
 */
export function buildUNet(options: UNetOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const depth = requireInt(MODEL, 'depth', options.depth ?? 3, 1, 8);
  const inputShape = requireImageShape(MODEL, options.inputShape, 2 ** depth, 2 ** depth);
  const outChannels = requireInt(MODEL, 'outChannels', options.outChannels, 1, OPTION_LIMITS.channels);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 1, OPTION_LIMITS.width);
  const outActivation = requireOutputActivation(MODEL, options.outActivation ?? 'linear');
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const seeds = new InitializerSeeds(seed, MODEL);
  const doubleConv = (x: tf.SymbolicTensor, name: string, filters: number): tf.SymbolicTensor =>
    convBnRelu(convBnRelu(x, { name: `${name}_1`, filters, kernelSize: 3, bnMomentum }, seeds),
      { name: `${name}_2`, filters, kernelSize: 3, bnMomentum }, seeds);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let level = 0; level < depth; level++) {
    x = doubleConv(x, `enc${level + 1}`, width * 2 ** level);
    skips.push(x);
    x = tf.layers.maxPooling2d({ name: `enc${level + 1}_pool`, poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = doubleConv(x, 'bottleneck', width * 2 ** depth);
  for (let level = depth - 1; level >= 0; level--) {
    const filters = width * 2 ** level;
    const name = `dec${level + 1}`;
    x = tf.layers.upSampling2d({ name: `${name}_upsample`, size: [2, 2] }).apply(x) as tf.SymbolicTensor;
    x = convBnRelu(x, { name: `${name}_upconv`, filters, kernelSize: 3, bnMomentum }, seeds);
    x = tf.layers.concatenate({ name: `${name}_concat`, axis: -1 }).apply([skips[level] as tf.SymbolicTensor, x]) as tf.SymbolicTensor;
    x = doubleConv(x, name, filters);
  }
  const output = tf.layers.conv2d({
    name: 'output_conv', filters: outChannels, kernelSize: 1, activation: outActivation, kernelInitializer: seeds.glorotUniform(),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'unet', inputs: input, outputs: output });
}
