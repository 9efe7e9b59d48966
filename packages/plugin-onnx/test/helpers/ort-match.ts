import * as tf from '@tensorflow/tfjs';
import { exportOnnx, OrtSession, compareWithTfjs, type OnnxExport, type OutputCheck } from '../../src/index.js';

/** Seeded inputs for every model input (unknown dims → 8). */
export function randomInputs(model: tf.LayersModel, seed: number, batch = 2): tf.Tensor[] {
  return model.inputs.map((input, i) => tf.randomUniform([batch, ...input.shape.slice(1).map((d) => d ?? 8)], -1, 1, 'float32', seed + i));
}

/** Exports `model`, runs it in ORT on seeded inputs and compares with tfjs. */
export async function ortMatch(model: tf.LayersModel, seed: number, batch = 2): Promise<{ check: OutputCheck; exported: OnnxExport }> {
  const exported = await exportOnnx(model);
  const session = await OrtSession.create(exported.bytes, exported);
  const inputs = randomInputs(model, seed, batch);
  try {
    return { check: await compareWithTfjs(model, session, inputs), exported };
  } finally {
    tf.dispose(inputs);
    await session.release();
  }
}
