import { makeDivisible } from '../common/make-divisible.js';
import { KERAS_BN_EPSILON } from '../common/batch-norm.js';
import { KERAS_2_2_4_TF } from './keras-dialect.js';
import { KerasGraphWriter, type KerasTensorRef } from './keras-graph-writer.js';

/** MobileNetV2's Keras BN momentum (its own choice; the zoo's 0.9 applies to zoo builders only). */
const MOMENTUM = 0.999;

/**
 * Writes `keras.applications.MobileNetV2(alpha=1.0, include_top=True, weights=None)` at 224×224×3 as
 * keras_applications 1.0.8 / tf.keras 1.15 builds it: `Conv1_pad` ZeroPadding2D, `Conv1`, `bn_Conv1`,
 * `Conv1_relu` (ReLU max_value 6), `expanded_conv_*`, `block_N_expand/_depthwise/_project(_BN)`, `block_N_pad`
 * before stride-2 depthwise convs, `block_N_add`, `Conv_1`, `Conv_1_bn`, `out_relu`, global average pooling
 * and `predictions`. 3,538,984 params.
 *
 * ```ts
 * const { writer } = writeKerasMobileNetV2();
 * writer.layers.length; // 157
 * ```
 */
export function writeKerasMobileNetV2(): { writer: KerasGraphWriter; topology: Record<string, unknown> } {
  const g = new KerasGraphWriter(KERAS_2_2_4_TF);
  const bn = (name: string, x: KerasTensorRef): KerasTensorRef => g.batchNormalization(name, x, { momentum: MOMENTUM, epsilon: KERAS_BN_EPSILON, scale: true });
  const input = g.input('input_1', [224, 224, 3]);

  // correct_pad for an even side and kernel 3 is ((0, 1), (0, 1)).
  let x = g.zeroPadding2d('Conv1_pad', input, [[0, 1], [0, 1]]);
  x = g.conv2d('Conv1', x, { filters: makeDivisible(32), kernel: 3, strides: 2, padding: 'valid', useBias: false });
  x = g.reLU('Conv1_relu', bn('bn_Conv1', x), 6);

  const blocks: ReadonlyArray<readonly [filters: number, stride: number, expansion: number]> = [
    [16, 1, 1],
    [24, 2, 6], [24, 1, 6],
    [32, 2, 6], [32, 1, 6], [32, 1, 6],
    [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
    [96, 1, 6], [96, 1, 6], [96, 1, 6],
    [160, 2, 6], [160, 1, 6], [160, 1, 6],
    [320, 1, 6],
  ];
  blocks.forEach(([filters, stride, expansion], blockId) => {
    const inChannels = x.shape[2] as number;
    const pointwise = makeDivisible(filters);
    const prefix = blockId === 0 ? 'expanded_conv_' : `block_${blockId}_`;
    const blockInput = x;
    let y = x;
    if (blockId !== 0) {
      y = g.conv2d(`${prefix}expand`, y, { filters: expansion * inChannels, kernel: 1, padding: 'same', useBias: false });
      y = g.reLU(`${prefix}expand_relu`, bn(`${prefix}expand_BN`, y), 6);
    }
    if (stride === 2) y = g.zeroPadding2d(`${prefix}pad`, y, [[0, 1], [0, 1]]);
    y = g.depthwiseConv2d(`${prefix}depthwise`, y, { kernel: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid' });
    y = g.reLU(`${prefix}depthwise_relu`, bn(`${prefix}depthwise_BN`, y), 6);
    y = g.conv2d(`${prefix}project`, y, { filters: pointwise, kernel: 1, padding: 'same', useBias: false });
    y = bn(`${prefix}project_BN`, y);
    x = inChannels === pointwise && stride === 1 ? g.add(`${prefix}add`, [blockInput, y]) : y;
  });

  x = g.conv2d('Conv_1', x, { filters: 1280, kernel: 1, padding: 'valid', useBias: false });
  x = g.reLU('out_relu', bn('Conv_1_bn', x), 6);
  x = g.globalAveragePooling2d('global_average_pooling2d', x);
  const output = g.dense('predictions', x, 1000, 'softmax');
  return { writer: g, topology: g.modelTopology('mobilenetv2_1.00_224', [input], [output]) };
}
