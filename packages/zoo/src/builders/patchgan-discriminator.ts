import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface PatchGanDiscriminatorOptions {
  /** Shape of the conditioning (input) image. */
  readonly inputShape: ImageShape;
  /** Channels of the target / generated image. Default: the input's channels. */
  readonly targetChannels?: number;
  /** Filters of the first conv (pix2pix uses 64); conv i uses width × min(2^i, 8). Default 16. */
  readonly width?: number;
  /** Number of stride-2 convs (3 gives the paper's 70×70 receptive field). Default 3. */
  readonly downsamplings?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'patchgan-discriminator';
const KNOWN = ['inputShape', 'targetChannels', 'width', 'downsamplings', 'seed', 'bnMomentum'];
const INIT_STDDEV = 0.02;

/**
 * The conditional PatchGAN discriminator of pix2pix: Concatenate(input image, target image) → Conv 4×4
 * stride 2 blocks (BN after all but the first, LeakyReLU 0.2) → ZeroPadding → Conv 4×4 → BN → LeakyReLU →
 * ZeroPadding → Conv 4×4 to one channel of patch logits (no activation). Two model inputs: [input, target].
 *
 * ```ts
 * const d = buildPatchGanDiscriminator({ inputShape: [32, 32, 3], width: 8, seed: 0 });
 * d.predict([tf.zeros([1, 32, 32, 3]), tf.zeros([1, 32, 32, 3])]); // [1, 2, 2, 1]
 * ```
 */
export function buildPatchGanDiscriminator(options: PatchGanDiscriminatorOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const downsamplings = requireInt(MODEL, 'downsamplings', options.downsamplings ?? 3, 1, 8);
  const inputShape = requireImageShape(MODEL, options.inputShape, 1);
  const targetChannels = requireInt(MODEL, 'targetChannels', options.targetChannels ?? inputShape[2], 1, OPTION_LIMITS.channels);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 1, OPTION_LIMITS.width);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const patchSide = Math.min(...inputShape.slice(0, 2).map((side) => Math.ceil(side / 2 ** downsamplings) - 2));
  if (patchSide < 1) {
    throw inputError('ZOO_BAD_INPUT_SHAPE',
      `${MODEL}: inputShape [${inputShape.join(', ')}] is too small for ${downsamplings} downsamplings (no patch left)`,
      `Use height and width > ${2 ** (downsamplings + 1)}, or fewer downsamplings.`);
  }
  const seeds = new InitializerSeeds(seed, MODEL);
  const filtersAt = (i: number): number => width * Math.min(2 ** i, 8);
  const conv = (x: tf.SymbolicTensor, name: string, filters: number, strides: number, padding: 'same' | 'valid', useBias = false): tf.SymbolicTensor =>
    tf.layers.conv2d({
      name, filters, kernelSize: 4, strides, padding, useBias, kernelInitializer: seeds.randomNormal(INIT_STDDEV),
    }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.batchNormalization({ name, momentum: bnMomentum }).apply(x) as tf.SymbolicTensor;
  const lrelu = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.leakyReLU({ name, alpha: 0.2 }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ name: 'input_image', shape: [...inputShape] });
  const target = tf.input({ name: 'target_image', shape: [inputShape[0], inputShape[1], targetChannels] });
  let x = tf.layers.concatenate({ name: 'input_target_concat', axis: -1 }).apply([input, target]) as tf.SymbolicTensor;
  for (let i = 0; i < downsamplings; i++) {
    x = conv(x, `down${i + 1}_conv`, filtersAt(i), 2, 'same');
    if (i > 0) x = bn(x, `down${i + 1}_bn`);
    x = lrelu(x, `down${i + 1}_lrelu`);
  }
  x = tf.layers.zeroPadding2d({ name: 'patch_pad1', padding: 1 }).apply(x) as tf.SymbolicTensor;
  x = lrelu(bn(conv(x, 'patch_conv', filtersAt(downsamplings), 1, 'valid'), 'patch_bn'), 'patch_lrelu');
  x = tf.layers.zeroPadding2d({ name: 'patch_pad2', padding: 1 }).apply(x) as tf.SymbolicTensor;
  const logits = conv(x, 'patch_logits', 1, 1, 'valid', true);
  return tf.model({ name: 'patchgan_discriminator', inputs: [input, target], outputs: logits });
}
