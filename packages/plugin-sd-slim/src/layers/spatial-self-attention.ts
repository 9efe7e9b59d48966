import * as tf from '@tensorflow/tfjs';
import { firstShape, multiHeadAttention, project, single } from './attention-math.js';

/** Config of `SpatialSelfAttention` (and of the layers that reuse its projections). */
export interface SpatialSelfAttentionArgs {
  /** Attention heads; `innerDim` must be divisible by it. */
  readonly heads: number;
  /** Output channels; default the input channels (a residual block's width). */
  readonly units?: number;
  /** Width of Q, K and V; default the input channels. */
  readonly innerDim?: number;
  readonly name?: string;
  readonly trainable?: boolean;
}

/**
 * Multi-head self-attention over the H·W positions of a [B, H, W, C] feature map (the SD U-Net's
 * attn1): `out(softmax(QKᵀ/√d)V)` with Q, K, V = x·W_{q,k,v} + b. Output [B, H, W, units]; no
 * residual or norm inside (the U-Net adds them around it, so the block can be bypassed).
 * Weights, in order: q_kernel [C, inner], q_bias, k_kernel, k_bias, v_kernel, v_bias,
 * out_kernel [inner, units], out_bias.
 *
 * ```ts
 * const y = new SpatialSelfAttention({ heads: 2 }).apply(x) as tf.SymbolicTensor;
 * ```
 */
export class SpatialSelfAttention extends tf.layers.Layer {
  static readonly className: string = 'SpatialSelfAttention';
  readonly heads: number;
  units: number | undefined;
  innerDim: number | undefined;
  protected projections: Record<'q_kernel' | 'q_bias' | 'k_kernel' | 'k_bias' | 'v_kernel' | 'v_bias' | 'out_kernel' | 'out_bias', tf.LayerVariable> | undefined;

  constructor(args: SpatialSelfAttentionArgs) {
    super(args);
    if (!Number.isInteger(args.heads) || args.heads < 1) throw new Error(`${new.target.name}: heads must be a positive integer, got ${args.heads}`);
    this.heads = args.heads;
    this.units = args.units;
    this.innerDim = args.innerDim;
  }

  /** Adds the projection weights for query width `queryDim` and key/value source width `contextDim`. */
  protected buildProjections(queryDim: number, contextDim: number): void {
    const inner = this.innerDim ?? queryDim;
    const units = this.units ?? queryDim;
    if (inner % this.heads !== 0) throw new Error(`${this.getClassName()} "${this.name}": innerDim ${inner} is not divisible by heads ${this.heads}`);
    this.innerDim = inner;
    this.units = units;
    const init = (seedless: number) => tf.initializers.glorotUniform({ seed: seedless });
    const zeros = tf.initializers.zeros();
    this.projections = {
      q_kernel: this.addWeight('q_kernel', [queryDim, inner], 'float32', init(11)),
      q_bias: this.addWeight('q_bias', [inner], 'float32', zeros),
      k_kernel: this.addWeight('k_kernel', [contextDim, inner], 'float32', init(12)),
      k_bias: this.addWeight('k_bias', [inner], 'float32', zeros),
      v_kernel: this.addWeight('v_kernel', [contextDim, inner], 'float32', init(13)),
      v_bias: this.addWeight('v_bias', [inner], 'float32', zeros),
      out_kernel: this.addWeight('out_kernel', [inner, units], 'float32', init(14)),
      out_bias: this.addWeight('out_bias', [units], 'float32', zeros),
    };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = firstShape(inputShape)[3];
    if (typeof c !== 'number') throw new Error(`${this.getClassName()} "${this.name}" needs a [B, H, W, C] input with known C`);
    this.buildProjections(c, c);
    this.built = true;
  }

  protected weightsOf(): NonNullable<SpatialSelfAttention['projections']> {
    if (this.projections === undefined) throw new Error(`${this.getClassName()} "${this.name}" is not built`);
    return this.projections;
  }

  /** Q, K, V of a [B, N, C] token sequence (K and V from `context`, default the tokens themselves). */
  protected qkv(tokens: tf.Tensor3D, context: tf.Tensor3D = tokens): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] {
    const w = this.weightsOf();
    const r = (v: tf.LayerVariable) => v.read();
    return [
      project(tokens, r(w.q_kernel) as tf.Tensor2D, r(w.q_bias) as tf.Tensor1D),
      project(context, r(w.k_kernel) as tf.Tensor2D, r(w.k_bias) as tf.Tensor1D),
      project(context, r(w.v_kernel) as tf.Tensor2D, r(w.v_bias) as tf.Tensor1D),
    ];
  }

  /** The output projection of attended [B, N, inner] values. */
  protected projectOut(attended: tf.Tensor3D): tf.Tensor3D {
    const w = this.weightsOf();
    return project(attended, w.out_kernel.read() as tf.Tensor2D, w.out_bias.read() as tf.Tensor1D);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = firstShape(inputShape);
    return [b ?? null, h ?? null, w ?? null, this.units ?? c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const tokens = tf.reshape(x, [b, h * w, c]) as tf.Tensor3D;
      const [q, k, v] = this.qkv(tokens as tf.Tensor3D);
      return tf.reshape(this.projectOut(multiHeadAttention(q, k, v, this.heads)), [b, h, w, this.units as number]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, units: this.units ?? null, innerDim: this.innerDim ?? null };
  }

  override getClassName(): string {
    return SpatialSelfAttention.className;
  }
}
