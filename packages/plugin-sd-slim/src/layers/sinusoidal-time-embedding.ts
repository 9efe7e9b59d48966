import * as tf from '@tensorflow/tfjs';
import { firstShape, single } from './attention-math.js';

/** Config of `SinusoidalTimeEmbedding`. */
export interface SinusoidalTimeEmbeddingArgs {
  /** Output width (even). */
  readonly dim: number;
  /** Longest period (10000 in DDPM/Transformer). */
  readonly maxPeriod?: number;
  readonly name?: string;
}

/**
 * The DDPM / Transformer sinusoidal embedding of a timestep: input [B, 1] (t as a float), output
 * [B, dim] = `[sin(t·f_0), …, sin(t·f_{h−1}), cos(t·f_0), …, cos(t·f_{h−1})]` with h = dim/2 and
 * `f_i = maxPeriod^(−i/h)` (diffusers' `get_timestep_embedding`, flip_sin_to_cos false, shift 0).
 * No weights.
 *
 * ```ts
 * const temb = new SinusoidalTimeEmbedding({ dim: 32 }).apply(tInput) as tf.SymbolicTensor;
 * ```
 */
export class SinusoidalTimeEmbedding extends tf.layers.Layer {
  static readonly className = 'SinusoidalTimeEmbedding';
  readonly dim: number;
  readonly maxPeriod: number;

  constructor(args: SinusoidalTimeEmbeddingArgs) {
    super(args);
    if (!Number.isInteger(args.dim) || args.dim < 2 || args.dim % 2 !== 0) throw new Error(`SinusoidalTimeEmbedding: dim must be an even integer ≥ 2, got ${args.dim}`);
    this.dim = args.dim;
    this.maxPeriod = args.maxPeriod ?? 10000;
  }

  /** The frequencies f_i, i < dim/2. */
  frequencies(): number[] {
    const half = this.dim / 2;
    return Array.from({ length: half }, (_, i) => Math.exp(-Math.log(this.maxPeriod) * i / half));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [firstShape(inputShape)[0] ?? null, this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const t = tf.reshape(single(inputs), [-1, 1]);
      const args = tf.mul(t, tf.tensor2d(this.frequencies(), [1, this.dim / 2]));
      return tf.concat([tf.sin(args), tf.cos(args)], 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dim: this.dim, maxPeriod: this.maxPeriod };
  }

  override getClassName(): string {
    return SinusoidalTimeEmbedding.className;
  }
}
