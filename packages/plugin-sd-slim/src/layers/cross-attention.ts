import * as tf from '@tensorflow/tfjs';
import { multiHeadAttention, shapeAt } from './attention-math.js';
import { SpatialSelfAttention, type SpatialSelfAttentionArgs } from './spatial-self-attention.js';

/**
 * Multi-head cross-attention from a [B, H, W, C] feature map to a [B, T, D] conditioning sequence
 * (the SD U-Net's attn2, with class embeddings as the "prompt"): Q from the map, K and V from the
 * context. Inputs `[x, context]`; output [B, H, W, units]. Weights as `SpatialSelfAttention`'s,
 * with k_kernel and v_kernel [D, inner].
 *
 * ```ts
 * const y = new CrossAttention({ heads: 2 }).apply([x, context]) as tf.SymbolicTensor;
 * ```
 */
export class CrossAttention extends SpatialSelfAttention {
  static override readonly className: string = 'CrossAttention';

  constructor(args: SpatialSelfAttentionArgs) {
    super(args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = shapeAt(inputShape, 0)[3];
    const d = shapeAt(inputShape, 1)[2];
    if (typeof c !== 'number' || typeof d !== 'number') throw new Error(`CrossAttention "${this.name}" needs inputs [B, H, W, C] and [B, T, D] with known C and D`);
    this.buildProjections(c, d);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return super.computeOutputShape(shapeAt(inputShape, 0));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error(`CrossAttention "${this.name}" takes [x, context]`);
      const x = inputs[0] as tf.Tensor4D;
      const context = inputs[1] as tf.Tensor3D;
      const [b, h, w, c] = x.shape;
      const [q, k, v] = this.qkv(tf.reshape(x, [b, h * w, c]), context);
      return tf.reshape(this.projectOut(multiHeadAttention(q, k, v, this.heads)), [b, h, w, this.units as number]);
    });
  }

  override getClassName(): string {
    return CrossAttention.className;
  }
}
