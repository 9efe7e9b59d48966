import type * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';

/**
 * Seeded stand-in weights for a converted Keras model, laid out as one float32 buffer in manifest order.
 * Values are chosen so a deep net stays numerically sane in inference: kernels are He-uniform on their
 * fan-in, BN gammas near 1 and variances in [0.5, 1.5], biases, betas and means small. Each weight has its
 * own stream (`SeededRng` keyed by seed and weight name), so the values do not depend on manifest order.
 *
 * ```ts
 * const data = randomKerasWeights([{ name: 'dense/kernel', shape: [4, 2], dtype: 'float32' }], 0);
 * data.byteLength; // 32
 * ```
 */
export function randomKerasWeights(specs: readonly tf.io.WeightsManifestEntry[], seed: number): ArrayBuffer {
  const total = specs.reduce((sum, spec) => sum + size(spec.shape), 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new Error(`randomKerasWeights: ${spec.name} has dtype ${spec.dtype}; only float32 is generated`);
    const n = size(spec.shape);
    const [low, high] = range(spec);
    // mulberry32: a fast 32-bit generator; seedrandom per element would take seconds for InceptionV3's 24 M values.
    let state = SeededRng.from(seed, `keras-weight:${spec.name}`).int32() | 0;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      out[offset + i] = low + (high - low) * u;
    }
    offset += n;
  }
  return out.buffer;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** [low, high) of the uniform draw for one weight, by its Keras weight name. */
function range(spec: tf.io.WeightsManifestEntry): [number, number] {
  const name = spec.name;
  if (name.endsWith('/moving_variance')) return [0.5, 1.5];
  if (name.endsWith('/gamma')) return [0.8, 1.2];
  if (name.endsWith('/beta') || name.endsWith('/moving_mean') || name.endsWith('/bias')) return [-0.1, 0.1];
  const shape = spec.shape;
  // Depthwise kernels [kh, kw, c, mult] see kh·kw inputs per output; others see every dim but the last.
  const fanIn = name.endsWith('/depthwise_kernel') ? (shape[0] ?? 1) * (shape[1] ?? 1) : size(shape.slice(0, -1));
  const limit = Math.sqrt(6 / Math.max(1, fanIn));
  return [-limit, limit];
}
