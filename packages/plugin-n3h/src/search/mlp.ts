import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from '@whittle/kernel';

/** Activation after the last layer. */
export type OutputActivation = 'sigmoid' | 'linear';

function uniformTensor(rng: SeededRng, shape: [number, number] | [number], bound: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * bound;
  return tf.tensor(values, shape);
}

/**
 * A fully-connected network of `sizes` (input, hidden…, output) with ReLU between layers, as HAQ's
 * actor and critic: hidden weights and biases uniform in ±1/√fan-in (`fanin_init`), the last layer
 * uniform in ±3e-3 (`init_w`), from a seeded stream. Owns its variables: `dispose()`.
 */
export class Mlp {
  readonly variables: tf.Variable[];

  constructor(readonly sizes: readonly number[], readonly output: OutputActivation, rng: SeededRng) {
    this.variables = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const fanIn = sizes[i] as number;
      const bound = i + 2 === sizes.length ? 3e-3 : 1 / Math.sqrt(fanIn);
      const w = uniformTensor(rng, [fanIn, sizes[i + 1] as number], bound);
      const b = uniformTensor(rng, [sizes[i + 1] as number], bound);
      // Unnamed: tfjs names them uniquely, so several agents can live at once.
      this.variables.push(tf.variable(w, true), tf.variable(b, true));
      tf.dispose([w, b]);
    }
  }

  /** Forward pass on a batch `[n, sizes[0]]`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor2D = x;
      const layers = this.variables.length / 2;
      for (let i = 0; i < layers; i++) {
        h = tf.add(tf.matMul(h, this.variables[2 * i] as tf.Variable), this.variables[2 * i + 1] as tf.Variable);
        if (i + 1 < layers) h = tf.relu(h);
      }
      return this.output === 'sigmoid' ? tf.sigmoid(h) : h;
    });
  }

  /** Copies another network's weights (same sizes). */
  copyFrom(source: Mlp): void {
    this.variables.forEach((v, i) => v.assign(source.variables[i] as tf.Variable));
  }

  /** Polyak averaging: θ ← (1 − τ)·θ + τ·θ_source (DDPG's soft target update). */
  softUpdate(source: Mlp, tau: number): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.add(tf.mul(v, 1 - tau), tf.mul(source.variables[i] as tf.Variable, tau)))));
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}
