import * as tf from '@tensorflow/tfjs';
import type { LayerOperation } from '@whittle/graph';
import { fakeQuantize } from './fake-quantize.js';

export interface FakeQuantConfig {
  /** Activation bits; 0 leaves the tensor as it is (a point not quantized yet). */
  bits: number;
  /** Clipping range (calibrated): values are clipped to [0, range], or [−range, range] when signed. */
  range: number;
  signed: boolean;
}

/**
 * `N3hFakeQuant`: linear fake quantization of a tensor with a straight-through estimator (see
 * `fakeQuantize`), the activation quantizer the `n3h-quantize` stage inserts before the GEMM layers.
 * Its settings are plain fields, so a search can change them between episodes without rebuilding the
 * model; `getConfig` saves them with the model.
 */
export class N3hFakeQuant extends tf.layers.Layer {
  static readonly className = 'N3hFakeQuant';
  bits: number;
  range: number;
  signed: boolean;

  constructor(config: FakeQuantConfig & { name?: string; trainable?: boolean }) {
    super(config);
    this.bits = config.bits;
    this.range = config.range;
    this.signed = config.signed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (this.bits === 0) return tf.clone(x);
    return fakeQuantize(x, this.bits, this.range, this.signed);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), bits: this.bits, range: this.range, signed: this.signed };
  }
}
tf.serialization.registerClass(N3hFakeQuant);

/** What @whittle/graph knows about `N3hFakeQuant`: channels pass through, no weights, no MACs. */
export const fakeQuantOperation: LayerOperation = {
  className: N3hFakeQuant.className,
  channelRule: () => ({ kind: 'passthrough' }),
  macs: () => 0,
};
