import * as tf from '@tensorflow/tfjs';

/** max |a − b| / max |b| over all outputs of two models on the same input. */
export function relativeError(actual: tf.LayersModel, expected: tf.LayersModel, input: tf.Tensor | tf.Tensor[]): number {
  return tf.tidy(() => {
    const a = [actual.predict(input)].flat() as tf.Tensor[];
    const b = [expected.predict(input)].flat() as tf.Tensor[];
    let worst = 0;
    a.forEach((t, i) => {
      const ref = b[i] as tf.Tensor;
      if (!tf.util.arraysEqual(t.shape, ref.shape)) throw new Error(`output ${i}: shape ${JSON.stringify(t.shape)} vs ${JSON.stringify(ref.shape)}`);
      const scale = Math.max(ref.abs().max().dataSync()[0] as number, 1e-6);
      worst = Math.max(worst, (t.sub(ref).abs().max().dataSync()[0] as number) / scale);
    });
    return worst;
  });
}

/** Seeded inputs for every model input, batch 2. */
export function randomInputs(model: tf.LayersModel, seed: number, batch = 2): tf.Tensor[] {
  return model.inputs.map((input, i) => tf.randomUniform([batch, ...input.shape.slice(1).map((d) => d ?? 8)], -1, 1, 'float32', seed + i));
}
