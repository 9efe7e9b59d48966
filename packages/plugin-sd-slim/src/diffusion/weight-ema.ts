import * as tf from '@tensorflow/tfjs';

/**
 * An exponential moving average of a model's weights (the usual diffusion-model EMA,
 * `ema ← d·ema + (1 − d)·w` after each step), kept as its own tensors.
 *
 * ```ts
 * const ema = new WeightEma(unet, 0.999);
 * // after each optimizer step:
 * ema.update(unet);
 * ema.copyTo(unet); // to sample or save with the averaged weights
 * ema.dispose();
 * ```
 */
export class WeightEma {
  private values: tf.Tensor[];

  /** Starts from `initial` (e.g. loaded from a checkpoint) or else from the model's current weights. */
  constructor(model: tf.LayersModel, readonly decay: number, initial?: readonly tf.Tensor[]) {
    if (!(decay >= 0 && decay < 1)) throw new Error(`WeightEma: decay must be in [0, 1), got ${decay}`);
    const weights = model.getWeights();
    if (initial !== undefined && initial.length !== weights.length) throw new Error(`WeightEma: ${initial.length} initial tensors for a model with ${weights.length} weights`);
    this.values = (initial ?? weights).map((w) => w.clone());
  }

  /** The averaged weights (owned by this object). */
  get weights(): readonly tf.Tensor[] {
    return this.values;
  }

  /**
   * One EMA step. With `step` (the optimizer steps done), the decay warms up as
   * min(decay, (1 + step)/(10 + step)), so early averages are not dominated by the initial weights.
   */
  update(model: tf.LayersModel, step?: number): void {
    const weights = model.getWeights();
    const d = step === undefined ? this.decay : Math.min(this.decay, (1 + step) / (10 + step));
    const next = tf.tidy(() => this.values.map((e, i) => tf.add(tf.mul(e, d), tf.mul(weights[i] as tf.Tensor, 1 - d))));
    tf.dispose(this.values);
    this.values = next;
  }

  /** Writes the averaged weights into `model` (same architecture). */
  copyTo(model: tf.LayersModel): void {
    model.setWeights(this.values);
  }

  dispose(): void {
    tf.dispose(this.values);
    this.values = [];
  }
}
