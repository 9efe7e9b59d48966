import * as tf from '@tensorflow/tfjs';
import type { LayerOperations } from '@whittle/graph';
import { exportOnnx, type OnnxExport } from '../export/export-onnx.js';
import { OrtSession, type OrtFeed, type OrtSessionOptions } from './ort-session.js';

/** A tfjs model exported and loaded in ONNX Runtime, with a seeded input batch to time it on. */
export interface OrtModel {
  readonly exported: OnnxExport;
  readonly session: OrtSession;
  /** One seeded uniform [-1, 1) batch per input, in the exported inputs' declared order (NHWC, or NCHW with `edgeLayout: 'nchw'`). */
  readonly feeds: readonly OrtFeed[];
}

/** Seeded uniform [-1, 1) values for each declared input at `batchSize` (unknown dims other than the batch: 1). */
export function randomFeeds(exported: Pick<OnnxExport, 'inputs'>, batchSize: number, seed = 1): OrtFeed[] {
  return exported.inputs.map((input, i) => {
    const shape = [batchSize, ...input.shape.slice(1).map((d) => d ?? 1)];
    const values = tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', seed + i).dataSync() as Float32Array);
    return { values, shape };
  });
}

/**
 * Exports `model` and opens it in ONNX Runtime.
 *
 * ```ts
 * const ort = await ortModel(model, { batchSize: 1, intraOpThreads: 2 });
 * await timeOrtSession(ort.session, ort.feeds, { warmup: 20, runs: 100 });
 * await ort.session.release();
 * ```
 */
export async function ortModel(
  model: tf.LayersModel, options: OrtSessionOptions & { readonly batchSize: number; readonly ops?: LayerOperations; readonly edgeLayout?: 'nhwc' | 'nchw'; readonly seed?: number },
): Promise<OrtModel> {
  const exported = await exportOnnx(model, { ...(options.ops === undefined ? {} : { ops: options.ops }), ...(options.edgeLayout === undefined ? {} : { edgeLayout: options.edgeLayout }) });
  const session = await OrtSession.create(exported.bytes, exported, options);
  return { exported, session, feeds: randomFeeds(exported, options.batchSize, options.seed) };
}
