import * as tf from '@tensorflow/tfjs';
import type { LayerOperation } from '@whittle/graph';

/** A custom layer: `y = x · scale`, one learned scale per channel (weight `scale`, [C]). */
export class OnnxChannelScale extends tf.layers.Layer {
  static readonly className = 'OnnxChannelScale';
  private scale: tf.LayerVariable | undefined;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.scale = this.addWeight('scale', [shape[shape.length - 1] as number], 'float32', tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 4 }));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, (this.scale as tf.LayerVariable).read()));
  }

  override getClassName(): string {
    return OnnxChannelScale.className;
  }
}
tf.serialization.registerClass(OnnxChannelScale);

/** Its layer operation, with the ONNX lowering a plugin would register: Mul by [C, 1, 1] channels-first. */
export const channelScaleOperation: LayerOperation = {
  className: OnnxChannelScale.className,
  channelRule: () => ({ kind: 'channelwise' }),
  weightAxes: { scale: [{ axis: 0, role: 'in' }] },
  onnx: {
    lower(ctx) {
      const scale = ctx.weight('scale');
      const x = ctx.input(0, 'channels-first');
      return [{ name: ctx.node('Mul', [x, ctx.floatInitializer(scale.values, [scale.shape[0] as number, 1, 1], 'scale')]), layout: 'channels-first' }];
    },
  },
};

/** conv (3→6) → OnnxChannelScale → relu → GAP → dense(3), on 8×8×3. */
export function channelScaleModel(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'image' });
  let y = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(x) as tf.SymbolicTensor;
  y = new OnnxChannelScale({ name: 'scale' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU({ name: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 3, name: 'head', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'channel_scale_model' });
}
