import { folderBytes, modelFolderFiles, type ModelFolderFiles } from './model-folder-files.js';
import type { ModelFolder, ModelFormat } from './model-folder.js';
import { quantizeWeights, type QuantizeWeightsOptions, type TensorQuantization, type WeightData } from '../quantize/quantize-weights.js';
import type { QuantizationDtype } from '../quantize/quantization-dtype.js';
import type { SkippedTensor } from '../quantize/skip-rules.js';

/** What to quantize to, what to leave alone, and how to cut the shards. */
export interface QuantizeFolderOptions extends QuantizeWeightsOptions {
  /** Shard size in bytes; default 4 MiB as tensorflowjs_converter. */
  readonly shardBytes?: number;
}

/** Sizes of a model folder on disk. */
export interface FolderSizes {
  readonly weightBytes: number;
  readonly modelJsonBytes: number;
  readonly totalBytes: number;
}

/** What a quantization did, in figures a person or a script can check. */
export interface QuantizationReport {
  readonly format: ModelFormat;
  readonly dtype: QuantizationDtype;
  readonly before: FolderSizes;
  readonly after: FolderSizes;
  /** before ÷ after, weights alone (shards) and with model.json. */
  readonly weightRatio: number;
  readonly totalRatio: number;
  readonly quantizedTensors: number;
  readonly skipped: readonly SkippedTensor[];
  /** Weights that came quantized already (decoded as the loader would, then quantized again). */
  readonly requantized: readonly string[];
  /** Largest |decoded − original| of any weight element, and the weight it is in. */
  readonly maxAbsWeightError: number;
  readonly worstTensor: string | undefined;
  readonly tensors: readonly TensorQuantization[];
  /** File names of the folder, model.json first. */
  readonly files: readonly string[];
}

/**
 * Quantizes a model folder in memory: the files to write and the report. `before` is the folder as
 * given (its model.json and shard bytes as read); `after` the files returned.
 *
 * ```ts
 * const { files, report } = quantizeFolder(await readModelFolder('model.json'), { dtype: 'uint8' });
 * ```
 */
export function quantizeFolder(folder: ModelFolder, options: QuantizeFolderOptions): { readonly files: ModelFolderFiles; readonly weights: WeightData; readonly report: QuantizationReport } {
  const quantized = quantizeWeights(folder.weights, options);
  const files = modelFolderFiles(folder.json, quantized, options.shardBytes === undefined ? {} : { shardBytes: options.shardBytes });
  const after = folderBytes(files);
  const before: FolderSizes = { weightBytes: folder.weightBytes, modelJsonBytes: folder.modelJsonBytes, totalBytes: folder.weightBytes + folder.modelJsonBytes };
  let worst: TensorQuantization | undefined;
  for (const t of quantized.tensors) if (worst === undefined || t.maxAbsError > worst.maxAbsError) worst = t;
  const report: QuantizationReport = {
    format: folder.format,
    dtype: options.dtype,
    before,
    after: { weightBytes: after.weights, modelJsonBytes: after.modelJson, totalBytes: after.total },
    weightRatio: after.weights === 0 ? 1 : before.weightBytes / after.weights,
    totalRatio: before.totalBytes / after.total,
    quantizedTensors: quantized.tensors.length - quantized.skipped.length,
    skipped: quantized.skipped,
    requantized: quantized.requantized,
    maxAbsWeightError: worst?.maxAbsError ?? 0,
    worstTensor: worst !== undefined && worst.maxAbsError > 0 ? worst.name : undefined,
    tensors: quantized.tensors,
    files: ['model.json', ...files.shards.map((s) => s.name)],
  };
  return { files, weights: quantized, report };
}
