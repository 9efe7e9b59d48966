import { KERAS_BN_EPSILON } from '../common/batch-norm.js';
import { KERAS_2_4_0 } from './keras-dialect.js';
import { KerasGraphWriter, type KerasTensorRef } from './keras-graph-writer.js';

type Padding = 'same' | 'valid';

/**
 * Writes `keras.applications.InceptionV3(include_top=True, weights=None)` at 299×299×3 as Keras 2.4
 * (TensorFlow 2.4) builds it: 94 `conv2d_N` (no bias) → `batch_normalization_N` (scale: false) →
 * `activation_N` units, `max_pooling2d_N` / `average_pooling2d_N`, Concatenate blocks `mixed0`…`mixed10`
 * (plus `mixed9_0`, `mixed9_1`, `concatenate`, `concatenate_1`), `avg_pool` and `predictions`.
 * Auto-generated names follow Keras' per-class counters (`conv2d`, `conv2d_1`, …). 23,851,784 params.
 *
 * ```ts
 * const { writer } = writeKerasInceptionV3();
 * writer.layers.filter((l) => l.class_name === 'Conv2D').length; // 94
 * ```
 */
export function writeKerasInceptionV3(): { writer: KerasGraphWriter; topology: Record<string, unknown> } {
  const g = new KerasGraphWriter(KERAS_2_4_0);
  const counters = new Map<string, number>();
  const auto = (prefix: string): string => {
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    return n === 0 ? prefix : `${prefix}_${n}`;
  };
  const convBn = (x: KerasTensorRef, filters: number, rows: number, cols: number, padding: Padding = 'same', strides = 1): KerasTensorRef => {
    const conv = g.conv2d(auto('conv2d'), x, { filters, kernel: [rows, cols], strides, padding, useBias: false });
    const norm = g.batchNormalization(auto('batch_normalization'), conv, { momentum: 0.99, epsilon: KERAS_BN_EPSILON, scale: false });
    return g.activation(auto('activation'), norm, 'relu');
  };
  const maxPool = (x: KerasTensorRef): KerasTensorRef => g.pooling2d('MaxPooling2D', auto('max_pooling2d'), x, { pool: 3, strides: 2, padding: 'valid' });
  const avgPool = (x: KerasTensorRef): KerasTensorRef => g.pooling2d('AveragePooling2D', auto('average_pooling2d'), x, { pool: 3, strides: 1, padding: 'same' });
  const concat = (name: string, xs: KerasTensorRef[]): KerasTensorRef => g.concatenate(name, xs, 3);

  const input = g.input('input_1', [299, 299, 3]);
  let x = convBn(input, 32, 3, 3, 'valid', 2);
  x = convBn(x, 32, 3, 3, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool(x);
  x = convBn(x, 80, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 'valid');
  x = maxPool(x);

  // mixed 0, 1, 2: 35 × 35 × 256 / 288 / 288
  for (const [i, poolFilters] of [[0, 32], [1, 64], [2, 64]] as const) {
    const b1 = convBn(x, 64, 1, 1);
    const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
    const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = convBn(avgPool(x), poolFilters, 1, 1);
    x = concat(`mixed${i}`, [b1, b5, b3, bp]);
  }

  // mixed 3: 17 × 17 × 768
  {
    const b3 = convBn(x, 384, 3, 3, 'valid', 2);
    const b3dbl = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
    x = concat('mixed3', [b3, b3dbl, maxPool(x)]);
  }

  // mixed 4, 5, 6, 7: 17 × 17 × 768
  for (const [i, f] of [[4, 128], [5, 160], [6, 160], [7, 192]] as const) {
    const b1 = convBn(x, 192, 1, 1);
    const b7 = convBn(convBn(convBn(x, f, 1, 1), f, 1, 7), 192, 7, 1);
    let b7dbl = convBn(x, f, 1, 1);
    b7dbl = convBn(b7dbl, f, 7, 1);
    b7dbl = convBn(b7dbl, f, 1, 7);
    b7dbl = convBn(b7dbl, f, 7, 1);
    b7dbl = convBn(b7dbl, 192, 1, 7);
    const bp = convBn(avgPool(x), 192, 1, 1);
    x = concat(`mixed${i}`, [b1, b7, b7dbl, bp]);
  }

  // mixed 8: 8 × 8 × 1280
  {
    const b3 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
    let b7x3 = convBn(x, 192, 1, 1);
    b7x3 = convBn(b7x3, 192, 1, 7);
    b7x3 = convBn(b7x3, 192, 7, 1);
    b7x3 = convBn(b7x3, 192, 3, 3, 'valid', 2);
    x = concat('mixed8', [b3, b7x3, maxPool(x)]);
  }

  // mixed 9, 10: 8 × 8 × 2048
  for (const i of [0, 1]) {
    const b1 = convBn(x, 320, 1, 1);
    const b3 = convBn(x, 384, 1, 1);
    const b3Split = concat(`mixed9_${i}`, [convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)]);
    const b3dbl = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
    const b3dblSplit = concat(auto('concatenate'), [convBn(b3dbl, 384, 1, 3), convBn(b3dbl, 384, 3, 1)]);
    const bp = convBn(avgPool(x), 192, 1, 1);
    x = concat(`mixed${9 + i}`, [b1, b3Split, b3dblSplit, bp]);
  }

  x = g.globalAveragePooling2d('avg_pool', x);
  const output = g.dense('predictions', x, 1000, 'softmax');
  return { writer: g, topology: g.modelTopology('inception_v3', [input], [output]) };
}
