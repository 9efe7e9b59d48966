import * as tf from '@tensorflow/tfjs';
import type { ClassificationSplits, ImageToImageSplits } from '@whittle/kernel';

/** Every layer's class and config, by name (weights left out): what "the same architecture" means. */
export function layerConfigs(model: tf.LayersModel): Record<string, unknown> {
  const json = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: { name: string } }[] } };
  return Object.fromEntries(json.config.layers.map((l) => [l.config.name, { className: l.class_name, config: l.config }]));
}

/** max |a − b| / max |b| over the outputs of two models on the same input. */
export function relativeError(actual: tf.LayersModel, expected: tf.LayersModel, input: tf.Tensor): number {
  return tf.tidy(() => {
    const a = actual.predict(input) as tf.Tensor;
    const b = expected.predict(input) as tf.Tensor;
    const scale = Math.max(b.abs().max().dataSync()[0]!, 1e-6);
    return a.sub(b).abs().max().dataSync()[0]! / scale;
  });
}

/**
 * A BatchNorm-free classifier `c1` (3×3 conv, relu) → `c2` (3×3 stride 2) → `fc` (softmax): training
 * and inference outputs agree, so SP-KD and logit KD can be checked against values computed by hand.
 */
export function plainClassifier(seed: number, widths: readonly [number, number] = [4, 4]): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 2], name: 'img' });
  const init = (k: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: seed * 10 + k });
  let y = tf.layers.conv2d({ filters: widths[0], kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1', kernelInitializer: init(1), biasInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: seed * 10 + 4 }) }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: widths[1], kernelSize: 3, strides: 2, padding: 'same', name: 'c2', kernelInitializer: init(2) }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.flatten({ name: 'flat' }).apply(y) as tf.SymbolicTensor;
  return tf.model({ name: `plain-${seed}`, inputs: x, outputs: tf.layers.dense({ units: 3, activation: 'softmax', name: 'fc', kernelInitializer: init(3) }).apply(y) as tf.SymbolicTensor });
}

/** Seeded random classification splits of `shape` images, 3 classes. */
export function classificationData(shape: readonly [number, number, number] = [6, 6, 2], n = 24): ClassificationSplits {
  const split = (count: number, seed: number) => ({
    x: tf.randomNormal([count, ...shape], 0, 1, 'float32', seed) as tf.Tensor4D,
    y: tf.oneHot(tf.tensor1d(Array.from({ length: count }, (_, i) => (i * 7) % 3), 'int32'), 3).toFloat() as tf.Tensor2D,
  });
  const train = split(n, 1);
  const validation = split(8, 2);
  return { name: 'random', task: 'classification', train, validation, numClasses: 3, inputShape: [...shape], dispose: () => tf.dispose([train.x, train.y, validation.x, validation.y]) };
}

/** Seeded image-to-image splits (target = −input) of 6×6×2 images. */
export function imageToImageData(): ImageToImageSplits {
  const x = tf.randomNormal([8, 6, 6, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
  const y = tf.neg(x) as tf.Tensor4D;
  return { name: 'pairs', task: 'image-to-image', train: { x, y }, validation: { x, y }, inputShape: [6, 6, 2], dispose: () => tf.dispose([x, y]) };
}

/** The outputs of the named layers of a model (inference mode), as new tensors. */
export function layerOutputs(model: tf.LayersModel, names: readonly string[], x: tf.Tensor): tf.Tensor[] {
  const probe = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor) });
  return [probe.predict(x)].flat() as tf.Tensor[];
}
