import * as tf from '@tensorflow/tfjs';
import { layersModelFolder, loadLayersFolder } from '../folder/layers-model-folder.js';
import { quantizeFolder } from '../folder/quantize-folder.js';
import type { QuantizationDtype } from '../quantize/quantization-dtype.js';
import type { SkipRules } from '../quantize/skip-rules.js';
import { compareLayersModels, type OutputError } from './output-error.js';

/** One storage type of one model: sizes of the folder a web app serves, and what it does to outputs. */
export interface StorageRow {
  readonly dtype: 'float32' | QuantizationDtype;
  readonly weightBytes: number;
  readonly modelJsonBytes: number;
  readonly totalBytes: number;
  /** float32 ÷ this, weights alone and with model.json. */
  readonly weightRatio: number;
  readonly totalRatio: number;
  readonly skippedTensors: number;
  /** Outputs against the float32 model on the given inputs (float32: zero). */
  readonly output: OutputError;
  /** `measure(model)` of the model as the stock loader decodes this storage, when given. */
  readonly metric?: number;
}

/** What to compare. */
export interface StorageComparisonOptions extends SkipRules {
  readonly dtypes?: readonly QuantizationDtype[];
  readonly shardBytes?: number;
  /** A figure per model, e.g. test accuracy: measured on the float32 model and each decoded one. */
  readonly measure?: (model: tf.LayersModel) => Promise<number>;
}

/**
 * Sizes and output error of a LayersModel stored as float32 and as each of `dtypes` (default uint8,
 * uint16, float16), each decoded by the stock loader and run on `inputs` — the table a deploy bench
 * prints. Disposes what it creates, not `model` or `inputs`.
 *
 * ```ts
 * const rows = await compareStorage(model, tf.randomUniform([8, 32, 32, 3]));
 * rows.find((r) => r.dtype === 'uint8')!.weightRatio; // ≈ 4
 * ```
 */
export async function compareStorage(model: tf.LayersModel, inputs: tf.Tensor | tf.Tensor[], options: StorageComparisonOptions = {}): Promise<StorageRow[]> {
  const folder = await layersModelFolder(model, options.shardBytes === undefined ? {} : { shardBytes: options.shardBytes });
  const float32Total = folder.weightBytes + folder.modelJsonBytes;
  const rows: StorageRow[] = [{
    dtype: 'float32', weightBytes: folder.weightBytes, modelJsonBytes: folder.modelJsonBytes, totalBytes: float32Total, weightRatio: 1, totalRatio: 1, skippedTensors: 0,
    output: { maxAbs: 0, meanAbs: 0, relative: 0 },
    ...(options.measure === undefined ? {} : { metric: await options.measure(model) }),
  }];
  for (const dtype of options.dtypes ?? (['uint8', 'uint16', 'float16'] as const)) {
    const { weights, report } = quantizeFolder(folder, { ...options, dtype });
    const decoded = await loadLayersFolder(folder.json, weights);
    try {
      rows.push({
        dtype,
        weightBytes: report.after.weightBytes,
        modelJsonBytes: report.after.modelJsonBytes,
        totalBytes: report.after.totalBytes,
        weightRatio: folder.weightBytes / report.after.weightBytes,
        totalRatio: float32Total / report.after.totalBytes,
        skippedTensors: report.skipped.length,
        output: await compareLayersModels(model, decoded, inputs),
        ...(options.measure === undefined ? {} : { metric: await options.measure(decoded) }),
      });
    } finally {
      decoded.dispose();
    }
  }
  return rows;
}
