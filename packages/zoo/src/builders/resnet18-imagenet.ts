import * as tf from '@tensorflow/tfjs';
import { convBnRelu } from '../common/conv-bn-relu.js';
import { ZOO_BN_MOMENTUM } from '../common/batch-norm.js';
import { InitializerSeeds } from '../common/initializer-seeds.js';
import { type ImageShape, OPTION_LIMITS, rejectUnknownOptions, requireImageShape, requireInt, requireMomentum } from '../common/validate-options.js';

export interface ResNet18ImageNetOptions {
  /** Default [224, 224, 3]. */
  readonly inputShape?: ImageShape;
  /** Default 1000. */
  readonly numClasses?: number;
  /** Filters of stage 1 (64 in the paper); stages 2–4 use 2×, 4×, 8×. */
  readonly width?: number;
  readonly seed?: number;
  /** BatchNormalization momentum. Default 0.9. */
  readonly bnMomentum?: number;
}

const MODEL = 'resnet18-imagenet';
const KNOWN = ['inputShape', 'numClasses', 'width', 'seed', 'bnMomentum'];

/**
 * ResNet-18 for ImageNet (He et al. 2016, Table 1): 7×7/2 conv-BN-ReLU stem, 3×3/2 max-pool, four
 * stages of two basic blocks (64, 128, 256, 512 filters; stride 2 and a 1×1 projection at the start of
 * stages 2–4), global average pooling, a softmax Dense. At 224×224×3 and 1000 classes: 21 GEMM layers
 * (17 3×3 convs, the stem, 3 projections, the FC) with 11,689,512 params — the GEMM sizes N3H-Core's
 * latency model hard-codes. Random (seeded) weights: for latency and resource models, not accuracy.
 *
 * ```ts
 * const model = buildResNet18ImageNet({ seed: 0 });
 * model.getLayer('stage2_block1_shortcut_conv');
 * ```
 */
export function buildResNet18ImageNet(options: ResNet18ImageNetOptions = {}): tf.LayersModel {
  rejectUnknownOptions(MODEL, options, KNOWN);
  const inputShape = requireImageShape(MODEL, options.inputShape ?? [224, 224, 3], 32);
  const numClasses = requireInt(MODEL, 'numClasses', options.numClasses ?? 1000, 1);
  const width = requireInt(MODEL, 'width', options.width ?? 64, 1, OPTION_LIMITS.width);
  const seeds = new InitializerSeeds(requireInt(MODEL, 'seed', options.seed ?? 0, 0), MODEL);
  const bnMomentum = requireMomentum(MODEL, options.bnMomentum ?? ZOO_BN_MOMENTUM);

  const input = tf.input({ name: 'image', shape: [...inputShape] });
  let x = convBnRelu(input, { name: 'stem', filters: width, kernelSize: 7, strides: 2, bnMomentum }, seeds);
  x = tf.layers.maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  let channels = width;
  for (let stage = 1; stage <= 4; stage++) {
    const filters = width * 2 ** (stage - 1);
    for (let block = 1; block <= 2; block++) {
      const strides = stage > 1 && block === 1 ? 2 : 1;
      const name = `stage${stage}_block${block}`;
      let residual = convBnRelu(x, { name: `${name}_1`, filters, kernelSize: 3, strides, bnMomentum }, seeds);
      residual = convBnRelu(residual, { name: `${name}_2`, filters, kernelSize: 3, activation: 'none', bnMomentum }, seeds);
      const shortcut = strides !== 1 || channels !== filters
        ? convBnRelu(x, { name: `${name}_shortcut`, filters, kernelSize: 1, strides, activation: 'none', bnMomentum }, seeds)
        : x;
      const sum = tf.layers.add({ name: `${name}_add` }).apply([residual, shortcut]) as tf.SymbolicTensor;
      x = tf.layers.reLU({ name: `${name}_out` }).apply(sum) as tf.SymbolicTensor;
      channels = filters;
    }
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ name: 'predictions', units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotUniform() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'resnet18_imagenet', inputs: input, outputs: output });
}
