import type * as tf from '@tensorflow/tfjs';
import type { KerasGraphWriter } from './keras-graph-writer.js';
import { randomKerasWeights } from './random-keras-weights.js';

/** A model.json as `tensorflowjs_converter --input_format keras` writes it for a layers model. */
export interface KerasModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: string;
  readonly modelTopology: Record<string, unknown>;
  readonly weightsManifest: tf.io.WeightsManifestConfig;
}

/** The converter's default `--weight_shard_size_bytes`. */
const SHARD_BYTES = 4 * 1024 * 1024;

/**
 * Wraps a written Keras topology in model.json form: one weight group split into 4 MiB shards named
 * `group1-shardKofN.bin`, as the converter names them.
 *
 * ```ts
 * const { writer, topology } = writeKerasMobileNetV2();
 * kerasModelJson(writer, topology).weightsManifest[0].paths; // ['group1-shard1of4.bin', …]
 * ```
 */
export function kerasModelJson(writer: KerasGraphWriter, topology: Record<string, unknown>): KerasModelJson {
  const bytes = writer.weightSpecs.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  const shards = Math.max(1, Math.ceil(bytes / SHARD_BYTES));
  const paths = Array.from({ length: shards }, (_, i) => `group1-shard${i + 1}of${shards}.bin`);
  return {
    format: 'layers-model',
    generatedBy: `keras v${writer.dialect.kerasVersion}`,
    convertedBy: writer.dialect.convertedBy,
    modelTopology: topology,
    weightsManifest: [{ paths, weights: writer.weightSpecs.map((w) => ({ ...w })) }],
  };
}

/**
 * ModelArtifacts for `tf.loadLayersModel(tf.io.fromMemory(artifacts))`: the model.json's topology and
 * manifest entries with seeded random weights in one buffer.
 *
 * ```ts
 * const model = await tf.loadLayersModel(tf.io.fromMemory(kerasArtifacts(kerasMobileNetV2ModelJson(), 0)));
 * ```
 */
export function kerasArtifacts(modelJson: KerasModelJson, seed: number): tf.io.ModelArtifacts {
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  return {
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    modelTopology: modelJson.modelTopology,
    weightSpecs,
    weightData: randomKerasWeights(weightSpecs, seed),
  };
}
