import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';

interface Feature {
  readonly t: tf.SymbolicTensor;
  readonly hw: number;
  readonly c: number;
}

/**
 * (From @whittle/graph's tests, extended for export: strided and `valid` transposed convs, strided
 * and dilated convs, bilinear up-sampling, global max pooling, more activations, Minimum.)
 *
 * A seeded random functional model mixing the layers the graph package follows: conv, BN,
 * activations (ReLU6, LeakyReLU, ELU), residual Add, Multiply, Concatenate, depthwise (multiplier
 * 1–2), separable and transposed convs, pooling, padding/cropping, up-sampling, dropout, an SE
 * block (GAP → Dense → Reshape → Multiply), and a Flatten → Dense or GAP → Dense head; sometimes a
 * second, spatial output. Input 8×8.
 */
export function randomTopology(seed: number): tf.LayersModel {
  const rng = SeededRng.from(seed, 'topology');
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  let n = 0;
  const name = (kind: string): string => `${kind}_${++n}`;
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
  const channels = (): number => 2 + rng.int(5);
  const input = tf.input({ shape: [8, 8, 2 + rng.int(2)], name: 'image' });
  const pool: Feature[] = [{ t: input, hw: 8, c: input.shape[3] as number }];
  const latest = (): Feature => pool[pool.length - 1] as Feature;
  const sameShape = (f: Feature): Feature | undefined => pool.slice(0, -1).reverse().find((g) => g.hw === f.hw && g.c === f.c && g.t !== f.t);

  const activate = (x: tf.SymbolicTensor): tf.SymbolicTensor => {
    switch (rng.int(7)) {
      case 4: return apply(tf.layers.activation({ activation: pick(['sigmoid', 'tanh', 'swish', 'relu6', 'hardSigmoid', 'selu', 'softplus']), name: name('act') }), x);
      case 5: return apply(tf.layers.reLU({ name: name('relu_layer') }), x);
      case 6: return apply(tf.layers.softmax({ axis: -1, name: name('softmax') }), x);
      case 0: return apply(tf.layers.reLU({ maxValue: 6, name: name('relu6') }), x);
      case 1: return apply(tf.layers.leakyReLU({ alpha: 0.2, name: name('leaky') }), x);
      case 2: return apply(tf.layers.elu({ name: name('elu') }), x);
      default: return apply(tf.layers.activation({ activation: 'relu', name: name('relu') }), x);
    }
  };
  const convBn = (f: Feature, filters: number, strides = 1): Feature => {
    const dilation = strides === 1 && rng.next() < 0.15 ? 2 : 1;
    let t = apply(tf.layers.conv2d({ filters, kernelSize: pick([1, 3]), strides, dilationRate: dilation, padding: 'same', useBias: rng.next() < 0.5, name: name('conv') }), f.t);
    if (rng.next() < 0.7) t = apply(tf.layers.batchNormalization({ name: name('bn') }), t);
    if (rng.next() < 0.7) t = activate(t);
    return { t, hw: Math.ceil(f.hw / strides), c: filters };
  };

  const steps = 4 + rng.int(5);
  pool.push(convBn(latest(), channels()));
  for (let s = 0; s < steps; s++) {
    const f = latest();
    const op = rng.int(12);
    let next: Feature | undefined;
    if (op === 0) {
      next = convBn(f, channels(), f.hw >= 4 && rng.next() < 0.3 ? 2 : 1);
    } else if (op === 1) {
      // Residual block with identity shortcut.
      const mid = convBn(f, channels());
      const back = convBn(mid, f.c);
      next = { ...f, t: apply(tf.layers.add({ name: name('add') }), [back.t, f.t]) };
    } else if (op === 2) {
      const other = sameShape(f) ?? convBn(f, f.c);
      const merge = pick([tf.layers.add, tf.layers.multiply, tf.layers.maximum, tf.layers.average, tf.layers.minimum]);
      next = { ...f, t: apply(merge({ name: name('merge') }), [f.t, other.t]) };
    } else if (op === 3) {
      const other = pool.slice(0, -1).reverse().find((g) => g.hw === f.hw) ?? convBn(f, channels());
      next = { t: apply(tf.layers.concatenate({ name: name('concat') }), [f.t, other.t]), hw: f.hw, c: f.c + other.c };
    } else if (op === 4) {
      const m = pick([1, 1, 2]);
      next = { t: apply(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: m, padding: 'same', name: name('dw') }), f.t), hw: f.hw, c: f.c * m };
    } else if (op === 5) {
      const filters = channels();
      next = { t: apply(tf.layers.separableConv2d({ filters, kernelSize: 3, depthMultiplier: pick([1, 2]), padding: 'same', name: name('sep') }), f.t), hw: f.hw, c: filters };
    } else if (op === 6) {
      const filters = channels();
      const strides = f.hw <= 4 && rng.next() < 0.6 ? 2 : 1;
      const kernelSize = pick([2, 3]);
      const padding = pick(['same', 'valid'] as const);
      const t = apply(tf.layers.conv2dTranspose({ filters, kernelSize, strides, padding, name: name('convT') }), f.t);
      next = { t, hw: t.shape[1] as number, c: filters };
      if (next.hw !== t.shape[2]) throw new Error('non-square transposed conv output');
    } else if (op === 7 && f.hw >= 4) {
      const window = { poolSize: pick([2, 3]), strides: 2, padding: pick(['same', 'valid'] as const) };
      const layer = rng.next() < 0.5 ? tf.layers.maxPooling2d({ ...window, name: name('maxpool') }) : tf.layers.averagePooling2d({ ...window, name: name('avgpool') });
      const t = apply(layer, f.t);
      next = { ...f, t, hw: t.shape[1] as number };
    } else if (op === 8) {
      const padded = apply(tf.layers.zeroPadding2d({ padding: 1, name: name('pad') }), f.t);
      next = { ...f, t: apply(tf.layers.cropping2D({ cropping: 1, name: name('crop') }), padded) };
    } else if (op === 9 && f.hw <= 4) {
      next = { ...f, t: apply(tf.layers.upSampling2d({ size: [2, 2], interpolation: pick(['nearest', 'bilinear'] as const), name: name('up') }), f.t), hw: f.hw * 2 };
    } else if (op === 10) {
      // Squeeze-and-excitation: the Dense back to C couples with f's channels through Multiply.
      const squeezed = apply(tf.layers.globalAveragePooling2d({ name: name('gap') }), f.t);
      const hidden = apply(tf.layers.dense({ units: 2 + rng.int(3), activation: 'relu', name: name('se_fc') }), squeezed);
      const gate = apply(tf.layers.dense({ units: f.c, activation: 'sigmoid', name: name('se_gate') }), hidden);
      const shaped = apply(tf.layers.reshape({ targetShape: [1, 1, f.c], name: name('se_reshape') }), gate);
      next = { ...f, t: apply(tf.layers.multiply({ name: name('se_mul') }), [f.t, shaped]) };
    } else {
      next = { ...f, t: apply(tf.layers.dropout({ rate: 0.3, name: name('drop') }), f.t) };
    }
    pool.push(next);
  }
  const last = convBn(latest(), channels());
  const outputs: tf.SymbolicTensor[] = [];
  if (rng.next() < 0.5) {
    const flat = apply(tf.layers.flatten({ name: name('flatten') }), last.t);
    outputs.push(apply(tf.layers.dense({ units: 3, name: name('head') }), flat));
  } else {
    const gap = apply(rng.next() < 0.5 ? tf.layers.globalAveragePooling2d({ name: name('gap') }) : tf.layers.globalMaxPooling2d({ name: name('gmp') }), last.t);
    const hidden = apply(tf.layers.dense({ units: 2 + rng.int(4), activation: 'relu', name: name('fc') }), gap);
    outputs.push(apply(tf.layers.dense({ units: 3, activation: 'softmax', name: name('head') }), hidden));
  }
  if (rng.next() < 0.3) outputs.push(apply(tf.layers.conv2d({ filters: 2, kernelSize: 1, name: name('side') }), pool[1 + rng.int(pool.length - 1)]!.t));
  return tf.model({ inputs: input, outputs, name: `random_${seed}` });
}
