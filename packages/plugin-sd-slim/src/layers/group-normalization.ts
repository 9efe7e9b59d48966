import * as tf from '@tensorflow/tfjs';
import { firstShape, single } from './attention-math.js';

/** Config of `GroupNormalization`. */
export interface GroupNormalizationArgs {
  /** Groups the channels are split into (must divide them); 1 = LayerNorm over H, W and C. */
  readonly groups: number;
  readonly epsilon?: number;
  readonly name?: string;
  readonly trainable?: boolean;
}

/**
 * Group normalisation (Wu & He 2018; the SD U-Net's GroupNorm) of a [B, H, W, C] feature map:
 * channels split into `groups`, each group normalised over (H, W, C/groups) per example, then a
 * per-channel scale γ and offset β. Written with broadcasting (reshape + moments), not tfjs-layers'
 * LayerNormalization, which tiles its statistics to the input's full size and spends most of a
 * small U-Net's time in Tile on wasm. Weights: gamma [C], beta [C].
 *
 * ```ts
 * const y = new GroupNormalization({ groups: 8 }).apply(x) as tf.SymbolicTensor;
 * ```
 */
export class GroupNormalization extends tf.layers.Layer {
  static readonly className = 'GroupNormalization';
  readonly groups: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | undefined;
  private beta: tf.LayerVariable | undefined;

  constructor(args: GroupNormalizationArgs) {
    super(args);
    if (!Number.isInteger(args.groups) || args.groups < 1) throw new Error(`GroupNormalization: groups must be a positive integer, got ${args.groups}`);
    this.groups = args.groups;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = firstShape(inputShape);
    const c = shape[shape.length - 1];
    if (shape.length !== 4 || typeof c !== 'number') throw new Error(`GroupNormalization "${this.name}" needs a [B, H, W, C] input with known C, got ${JSON.stringify(shape)}`);
    if (c % this.groups !== 0) throw new Error(`GroupNormalization "${this.name}": ${this.groups} groups do not divide ${c} channels`);
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (this.gamma === undefined || this.beta === undefined) throw new Error(`GroupNormalization "${this.name}" is not built`);
      const x = single(inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const g = this.groups;
      const grouped = tf.reshape(x, [b, h * w, g, c / g]);
      // Statistics per (example, group) by reductions; then y = x·A + B with A, B per (example, channel):
      // two broadcasting ops on the full map (wasm broadcasts slowly), not four.
      const mean = tf.mean(grouped, [1, 3]);
      const variance = tf.relu(tf.sub(tf.mean(tf.square(grouped), [1, 3]), tf.square(mean)));
      const perChannel = (t: tf.Tensor) => tf.reshape(tf.tile(tf.reshape(t, [b, g, 1]), [1, 1, c / g]), [b, 1, 1, c]);
      const scale = tf.mul(perChannel(tf.rsqrt(tf.add(variance, this.epsilon))), this.gamma.read());
      const shift = tf.sub(this.beta.read(), tf.mul(perChannel(mean), scale));
      return tf.add(tf.mul(x, scale), shift);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }

  override getClassName(): string {
    return GroupNormalization.className;
  }
}

/** The largest group count ≤ `preferred` that divides `channels` (SD uses 32 groups; small widths get fewer). */
export function groupsFor(channels: number, preferred = 8): number {
  for (let g = Math.min(preferred, channels); g > 1; g--) if (channels % g === 0) return g;
  return 1;
}
