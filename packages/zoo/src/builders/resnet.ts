import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface ResNetOptions {
  /** 6n + 2 layers, n basic blocks per stage: 20, 32, 44, 56, 110 … */
  readonly depth: number;
  readonly inputShape: ImageShape;
  readonly numClasses: number;
  /** Filters of stage 1; stages 2 and 3 use 2× and 4×. Default 16. */
  readonly width?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'resnet';
const KNOWN = ['depth', 'inputShape', 'numClasses', 'width', 'seed', 'bnMomentum'];

/**
 * A CIFAR-style ResNet (He et al. 2016, §4.2): conv3×3-BN-ReLU stem, three stages of n basic blocks with
 * w, 2w, 4w filters, stride 2 at the start of stages 2 and 3, 1×1 conv + BN projection shortcuts where the
 * shape changes, Add, ReLU, global average pooling and a softmax Dense. ResNet-20 width 16 on 32×32×3 with
 * 10 classes has 274,042 params (272,474 trainable).
 *
 * ```ts
 * const resnet20 = buildResNet({ depth: 20, inputShape: [32, 32, 3], numClasses: 10, seed: 0 });
 * resnet20.getLayer('stage2_block1_add');
 * ```
 */
export function buildResNet(options: ResNetOptions): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const depth = options.depth;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0 || depth > OPTION_LIMITS.resnetDepth) {
    throw inputError('ZOO_BAD_OPTION', `ResNet depth ${JSON.stringify(depth)} is not 6n+2 in [8, ${OPTION_LIMITS.resnetDepth}]`, 'Try 20, 32, 44, 56 or 110.');
  }
  const inputShape = requireImageShape(MODEL, options.inputShape, 4);
  const numClasses = requireInt(MODEL, 'numClasses', options.numClasses, 1);
  const width = requireInt(MODEL, 'width', options.width ?? 16, 1, OPTION_LIMITS.width);
  const seed = requireInt(MODEL, 'seed', options.seed ?? 0, 0);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);
  const blocksPerStage = (depth - 2) / 6;
  const seeds = new InitializerSeeds(seed, `${MODEL}-${depth}`);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  let x = convBnRelu(input, { name: 'stem', filters: width, kernelSize: 3, bnMomentum }, seeds);
  let channels = width;
  for (let stage = 1; stage <= 3; stage++) {
    const filters = width * 2 ** (stage - 1);
    for (let block = 1; block <= blocksPerStage; block++) {
      const strides = stage > 1 && block === 1 ? 2 : 1;
      x = basicBlock(x, { name: `stage${stage}_block${block}`, filters, strides, inChannels: channels, bnMomentum }, seeds);
      channels = filters;
    }
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({
    name: 'predictions', units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotUniform(),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: `resnet${depth}`, inputs: input, outputs: output });
}

interface BasicBlockSpec {
  readonly name: string;
  readonly filters: number;
  readonly strides: number;
  readonly inChannels: number;
  readonly bnMomentum: number;
}

/** conv3×3-BN-ReLU → conv3×3-BN, plus the (projected where needed) shortcut, then Add and ReLU. */
function basicBlock(input: tf.SymbolicTensor, spec: BasicBlockSpec, seeds: InitializerSeeds): tf.SymbolicTensor {
  const { name, filters, strides, bnMomentum } = spec;
  let residual = convBnRelu(input, { name: `${name}_1`, filters, kernelSize: 3, strides, bnMomentum }, seeds);
  residual = convBnRelu(residual, { name: `${name}_2`, filters, kernelSize: 3, activation: 'none', bnMomentum }, seeds);
  const shortcut = strides !== 1 || spec.inChannels !== filters
    ? convBnRelu(input, { name: `${name}_shortcut`, filters, kernelSize: 1, strides, activation: 'none', bnMomentum }, seeds)
    : input;
  const sum = tf.layers.add({ name: `${name}_add` }).apply([residual, shortcut]) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as tf.SymbolicTensor;
}
