import * as tf from '@tensorflow/tfjs';
import { firstShape, single } from '../layers/attention-math.js';

/** Config of `CondConv2D`. */
export interface CondConv2DArgs {
  readonly filters: number;
  /** Square kernel side. */
  readonly kernelSize: number;
  readonly strides?: number;
  readonly padding?: 'same' | 'valid';
  /** Number of experts n (the kept kernel first, then the inherited ones). */
  readonly experts: number;
  /** Initial router bias per expert (default +4 for the first, −4 for the others). */
  readonly routerBias?: readonly number[];
  /**
   * Initial gate per expert (default 1/σ(b₀) for the first, 0 for the others): the mixing weight of
   * expert i is `gate_i · σ(router_i)`, so at initialisation the layer is exactly its first expert.
   */
  readonly gates?: readonly number[];
  readonly name?: string;
  readonly trainable?: boolean;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * CLME-CondConv (A-SDM, after CondConv, Yang et al. 2019): a 3×3 (or k×k) convolution whose kernel
 * is mixed per example from n experts, `W(x) = Σ_i a_i(x)·W_i`, `b(x) = Σ_i a_i(x)·b_i`, with
 * `a_i(x) = gate_i · σ(GAP(x)·R + r)_i` (router: global average pool → dense → sigmoid).
 * CondConv's plain sigmoid routing with bias ±4 only approximates the first expert (σ(4) = 0.982,
 * σ(−4) = 0.018); the learned `gates` (initialised to 1/σ(r₀), 0, …) make the layer equal its first
 * expert exactly at initialisation while every expert, router and gate still trains.
 * Inference: one convolution per example plus the n-way kernel mix and the router.
 * Weights, in order: kernels [n, k, k, Cin, filters], biases [n, filters], router_kernel [Cin, n],
 * router_bias [n], gates [n].
 *
 * ```ts
 * const layer = new CondConv2D({ filters: 16, kernelSize: 3, padding: 'same', experts: 3 });
 * ```
 */
export class CondConv2D extends tf.layers.Layer {
  static readonly className = 'CondConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly experts: number;
  readonly routerBias: number[];
  readonly gates: number[];
  private vars: Record<'kernels' | 'biases' | 'router_kernel' | 'router_bias' | 'gates', tf.LayerVariable> | undefined;

  constructor(args: CondConv2DArgs) {
    super(args);
    for (const [key, value, min] of [['filters', args.filters, 1], ['kernelSize', args.kernelSize, 1], ['experts', args.experts, 1], ['strides', args.strides ?? 1, 1]] as const) {
      if (!Number.isInteger(value) || value < min) throw new Error(`CondConv2D: ${key} must be an integer ≥ ${min}, got ${String(value)}`);
    }
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'same';
    this.experts = args.experts;
    this.routerBias = [...(args.routerBias ?? Array.from({ length: args.experts }, (_, i) => (i === 0 ? 4 : -4)))];
    this.gates = [...(args.gates ?? this.routerBias.map((b, i) => (i === 0 ? 1 / sigmoid(b) : 0)))];
    if (this.routerBias.length !== this.experts || this.gates.length !== this.experts) {
      throw new Error(`CondConv2D: routerBias and gates need ${this.experts} entries (one per expert), got ${this.routerBias.length} and ${this.gates.length}`);
    }
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = firstShape(inputShape)[3];
    if (typeof cin !== 'number') throw new Error(`CondConv2D "${this.name}" needs a [B, H, W, C] input with known C`);
    const n = this.experts;
    const k = this.kernelSize;
    const zeros = tf.initializers.zeros();
    this.vars = {
      kernels: this.addWeight('kernels', [n, k, k, cin, this.filters], 'float32', tf.initializers.glorotUniform({ seed: 21 })),
      biases: this.addWeight('biases', [n, this.filters], 'float32', zeros),
      router_kernel: this.addWeight('router_kernel', [cin, n], 'float32', zeros),
      router_bias: this.addWeight('router_bias', [n], 'float32', zeros),
      gates: this.addWeight('gates', [n], 'float32', zeros),
    };
    const initial = [tf.tensor1d(this.routerBias), tf.tensor1d(this.gates)] as const;
    this.vars.router_bias.write(initial[0]);
    this.vars.gates.write(initial[1]);
    tf.dispose([...initial]);
    this.built = true;
  }

  /** The per-example mixing weights a(x), [B, n]. */
  mixingWeights(x: tf.Tensor4D): tf.Tensor2D {
    const v = this.requireVars();
    return tf.tidy(() => tf.mul(tf.sigmoid(tf.add(tf.matMul(tf.mean(x, [1, 2]) as tf.Tensor2D, v.router_kernel.read() as tf.Tensor2D), v.router_bias.read())), v.gates.read()) as tf.Tensor2D);
  }

  private requireVars(): NonNullable<CondConv2D['vars']> {
    if (this.vars === undefined) throw new Error(`CondConv2D "${this.name}" is not built`);
    return this.vars;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = firstShape(inputShape);
    const out = (size: number | null | undefined) => (typeof size !== 'number' ? null
      : this.padding === 'same' ? Math.ceil(size / this.strides) : Math.ceil((size - this.kernelSize + 1) / this.strides));
    return [b ?? null, out(h), out(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const v = this.requireVars();
      const x = single(inputs) as tf.Tensor4D;
      const a = this.mixingWeights(x);
      const kernels = v.kernels.read();
      const shape = kernels.shape.slice(1) as [number, number, number, number];
      const mixed = tf.matMul(a, tf.reshape(kernels, [this.experts, -1]));
      const bias = tf.matMul(a, v.biases.read() as tf.Tensor2D);
      const batch = x.shape[0];
      const outs = tf.split(x, batch, 0).map((example, i) => {
        const kernel = tf.reshape(tf.slice(mixed, [i, 0], [1, -1]), shape) as tf.Tensor4D;
        return tf.add(tf.conv2d(example as tf.Tensor4D, kernel, this.strides, this.padding), tf.reshape(tf.slice(bias, [i, 0], [1, -1]), [1, 1, 1, this.filters]));
      });
      return outs.length === 1 ? (outs[0] as tf.Tensor) : tf.concat(outs, 0);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      experts: this.experts, routerBias: this.routerBias, gates: this.gates,
    };
  }

  override getClassName(): string {
    return CondConv2D.className;
  }
}
