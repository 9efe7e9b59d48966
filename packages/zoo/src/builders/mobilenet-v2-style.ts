import * as tf from '@tensorflow/tfjs';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { makeDivisible } from '../common/make-divisible.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum, requirePositive } from '../common/validate-options.js';

export interface MobileNetV2StyleOptions {
  readonly inputShape: ImageShape;
  readonly numClasses: number;
  /** Width multiplier applied to every layer's channels (rounded to multiples of 8). Default 1. */
  readonly alpha?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

/** One row of the block table: expansion t, output channels c, repeats n, first stride s (MobileNetV2 paper, Table 2). */
interface StageSpec { readonly t: number; readonly c: number; readonly n: number; readonly s: number }

/** A shortened MobileNetV2 table for 32–64 px inputs: 8× downsampling in total, 8 inverted-residual blocks. */
const STAGES: readonly StageSpec[] = [
  { t: 1, c: 16, n: 1, s: 1 },
  { t: 6, c: 24, n: 2, s: 2 },
  { t: 6, c: 32, n: 3, s: 2 },
  { t: 6, c: 64, n: 2, s: 2 },
];
const STEM_CHANNELS = 32;
const HEAD_CHANNELS = 256;

const MODEL = 'mobilenet-v2-style';
const KNOWN = ['inputShape', 'numClasses', 'alpha', 'seed', 'bnMomentum'];

/**
 * A small MobileNetV2: conv3×3-BN-ReLU6 stem, inverted-residual blocks (1×1 expand → depthwise 3×3 → linear
 * 1×1 project, Add where input and output shapes match), 1×1 head conv, ReLU6 (ReLU with maxValue 6)
 * throughout, global average pooling and a softmax Dense.
 *
 * ```ts
 * const net = buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 10, alpha: 0.5, seed: 0 });
 * net.getLayer('block3_add');
 * ```
 */
export function buildMobileNetV2Style(options: MobileNetV2StyleOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const inputShape = requireImageShape(MODEL, options.inputShape, 8);
  const numClasses = requireInt(MODEL, 'numClasses', options.numClasses, 1);
  const alpha = requirePositive(MODEL, 'alpha', options.alpha ?? 1, OPTION_LIMITS.alpha);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const seeds = new InitializerSeeds(seed, MODEL);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  let x = convBnRelu(input, { name: 'stem', filters: makeDivisible(STEM_CHANNELS * alpha), kernelSize: 3, activation: 'relu6', bnMomentum }, seeds);
  let channels = makeDivisible(STEM_CHANNELS * alpha);
  let block = 0;
  for (const stage of STAGES) {
    const outChannels = makeDivisible(stage.c * alpha);
    for (let i = 0; i < stage.n; i++) {
      block++;
      const spec = { name: `block${block}`, expansion: stage.t, inChannels: channels, outChannels, strides: i === 0 ? stage.s : 1, bnMomentum };
      x = invertedResidual(x, spec, seeds);
      channels = outChannels;
    }
  }
  // Like MobileNetV2, the head never shrinks below its nominal width for alpha < 1.
  const headChannels = alpha > 1 ? makeDivisible(HEAD_CHANNELS * alpha) : HEAD_CHANNELS;
  x = convBnRelu(x, { name: 'head', filters: headChannels, kernelSize: 1, activation: 'relu6', bnMomentum }, seeds);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({
    name: 'predictions', units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotUniform(),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'mobilenet_v2_style', inputs: input, outputs: output });
}

interface InvertedResidualSpec {
  readonly name: string;
  readonly expansion: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly strides: number;
  readonly bnMomentum: number;
}

/** 1×1 expand (skipped when t = 1) → depthwise 3×3 → BN → ReLU6 → linear 1×1 project → BN (+ Add). */
function invertedResidual(input: tf.SymbolicTensor, spec: InvertedResidualSpec, seeds: InitializerSeeds): tf.SymbolicTensor {
  const { name, bnMomentum } = spec;
  let x = input;
  if (spec.expansion !== 1) {
    x = convBnRelu(x, { name: `${name}_expand`, filters: spec.inChannels * spec.expansion, kernelSize: 1, activation: 'relu6', bnMomentum }, seeds);
  }
  x = tf.layers.depthwiseConv2d({
    name: `${name}_depthwise`, kernelSize: 3, strides: spec.strides, padding: 'same', useBias: false,
    depthwiseInitializer: seeds.heNormal(),
  }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: `${name}_depthwise_bn`, momentum: bnMomentum }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: `${name}_depthwise_relu6`, maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  x = convBnRelu(x, { name: `${name}_project`, filters: spec.outChannels, kernelSize: 1, activation: 'none', bnMomentum }, seeds);
  if (spec.strides === 1 && spec.inChannels === spec.outChannels) {
    x = tf.layers.add({ name: `${name}_add` }).apply([input, x]) as tf.SymbolicTensor;
  }
  return x;
}
