import * as tf from '@tensorflow/tfjs';
import type { OrtSession } from './ort-session.js';

/** How far ONNX Runtime's outputs are from tfjs's on the same inputs. */
export interface OutputCheck {
  /** max |ort − tfjs| / max |tfjs|, worst over the outputs. */
  readonly relativeError: number;
  /** max |ort − tfjs|, worst over the outputs. */
  readonly maxAbsError: number;
  /** Examples compared. */
  readonly examples: number;
}

/**
 * Runs `inputs` (one tensor per model input, NHWC, batch first) through the tfjs model and the ORT
 * session and compares every output: max |ort − tfjs| / max |tfjs| (the scale floored at 1e-6).
 * Creates no tensors that outlive the call.
 *
 * ```ts
 * const check = await compareWithTfjs(model, session, [tf.randomUniform([2, 32, 32, 3])]);
 * check.relativeError; // e.g. 3e-7
 * ```
 */
export async function compareWithTfjs(model: tf.LayersModel, session: OrtSession, inputs: readonly tf.Tensor[]): Promise<OutputCheck> {
  const expected = tf.tidy(() => [model.predict(inputs.length === 1 ? (inputs[0] as tf.Tensor) : [...inputs])].flat() as tf.Tensor[]);
  try {
    const feeds = await Promise.all(inputs.map(async (t) => ({ values: (await t.data()) as Float32Array, shape: t.shape })));
    const actual = await session.run(feeds);
    let relativeError = 0;
    let maxAbsError = 0;
    for (let i = 0; i < expected.length; i++) {
      const want = (await (expected[i] as tf.Tensor).data()) as Float32Array;
      const got = actual[i] as Float32Array;
      if (got.length !== want.length) throw new Error(`output ${i}: ONNX Runtime gave ${got.length} values, tfjs ${want.length}`);
      let scale = 1e-6;
      let worst = 0;
      for (let j = 0; j < want.length; j++) {
        scale = Math.max(scale, Math.abs(want[j] as number));
        worst = Math.max(worst, Math.abs((got[j] as number) - (want[j] as number)));
      }
      if (Number.isNaN(worst) || got.some((v) => Number.isNaN(v))) worst = Number.POSITIVE_INFINITY;
      relativeError = Math.max(relativeError, worst / scale);
      maxAbsError = Math.max(maxAbsError, worst);
    }
    return { relativeError, maxAbsError, examples: inputs[0]?.shape[0] ?? 0 };
  } finally {
    tf.dispose(expected);
  }
}
