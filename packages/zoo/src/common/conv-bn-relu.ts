import * as tf from '@tensorflow/tfjs';
import type { InitializerSeeds } from './initializer-seeds.js';

/** Settings of one conv → BN → activation unit. */
export interface ConvBnReluSpec {
  /** Prefix of the three layer names: `<name>_conv`, `<name>_bn`, `<name>_relu`. */
  readonly name: string;
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides?: number;
  /** `relu` (default), `relu6` (ReLU capped at 6, as in MobileNetV2) or `none` (conv + BN only). */
  readonly activation?: 'relu' | 'relu6' | 'none';
  readonly bnMomentum: number;
}

/**
 * Applies a bias-free conv (the BN beta replaces the bias), BatchNormalization and a ReLU to `input`.
 *
 * ```ts
 * const x = tf.input({ shape: [32, 32, 3] });
 * const y = convBnRelu(x, { name: 'stem', filters: 16, kernelSize: 3, bnMomentum: 0.9 }, new InitializerSeeds(0, 'demo'));
 * ```
 */
export function convBnRelu(input: tf.SymbolicTensor, spec: ConvBnReluSpec, seeds: InitializerSeeds): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({
    name: `${spec.name}_conv`, filters: spec.filters, kernelSize: spec.kernelSize, strides: spec.strides ?? 1,
    padding: 'same', useBias: false, kernelInitializer: seeds.heNormal(),
  }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: `${spec.name}_bn`, momentum: spec.bnMomentum }).apply(conv) as tf.SymbolicTensor;
  const activation = spec.activation ?? 'relu';
  if (activation === 'none') return bn;
  const relu = activation === 'relu6'
    ? tf.layers.reLU({ name: `${spec.name}_relu6`, maxValue: 6 })
    : tf.layers.reLU({ name: `${spec.name}_relu` });
  return relu.apply(bn) as tf.SymbolicTensor;
}
