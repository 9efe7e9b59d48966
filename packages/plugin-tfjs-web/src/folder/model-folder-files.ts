import type * as tf from '@tensorflow/tfjs';
import type { WeightData } from '../quantize/quantize-weights.js';

/** tensorflowjs_converter's default shard size: 4 MiB (`--weight_shard_size_bytes 4194304`). */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/** The files of a model folder, by name, in the order a web server lists them (model.json first). */
export interface ModelFolderFiles {
  readonly modelJson: string;
  readonly shards: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

/**
 * model.json text and weight shards for `json` (everything but the manifest) and `weights`: one
 * manifest group whose bytes are cut into shards of `shardBytes` (the last one shorter), named as
 * the converter names them (`group1-shard1of3.bin`). A weight may span two shards; loaders
 * concatenate a group's shards before reading it, as they do for the converter's output.
 *
 * ```ts
 * const files = modelFolderFiles(folder.json, quantized, { shardBytes: 4 << 20 });
 * files.shards.map((s) => s.name); // ['group1-shard1of1.bin']
 * ```
 */
export function modelFolderFiles(json: Readonly<Record<string, unknown>>, weights: WeightData, options: { readonly shardBytes?: number } = {}): ModelFolderFiles {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isInteger(shardBytes) || shardBytes < 1) throw new RangeError(`shardBytes must be a positive integer, got ${shardBytes}`);
  const count = Math.max(1, Math.ceil(weights.data.byteLength / shardBytes));
  const shards = Array.from({ length: count }, (_, i) => ({
    name: `group1-shard${i + 1}of${count}.bin`,
    bytes: weights.data.subarray(i * shardBytes, Math.min(weights.data.byteLength, (i + 1) * shardBytes)),
  }));
  const manifest: tf.io.WeightsManifestConfig = [{ paths: shards.map((s) => s.name), weights: [...weights.specs] }];
  // The manifest goes where the converter puts it, after the topology and format keys.
  return { modelJson: JSON.stringify({ ...json, weightsManifest: manifest }), shards };
}

/** Bytes of model.json and of the shards together. */
export function folderBytes(files: ModelFolderFiles): { readonly modelJson: number; readonly weights: number; readonly total: number } {
  const modelJson = Buffer.byteLength(files.modelJson, 'utf8');
  const weights = files.shards.reduce((n, s) => n + s.bytes.byteLength, 0);
  return { modelJson, weights, total: modelJson + weights };
}
