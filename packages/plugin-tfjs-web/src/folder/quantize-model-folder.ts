import { inputError } from '@whittle/kernel';
import { quantizeFolder, type QuantizationReport, type QuantizeFolderOptions } from './quantize-folder.js';
import { readModelFolder } from './read-model-folder.js';
import { checkOutputFolder, writeModelFolder } from './write-model-folder.js';
import { WeightDataError } from '../quantize/quantize-weights.js';
import { isQuantizationDtype, QUANTIZATION_DTYPES } from '../quantize/quantization-dtype.js';

/** Checks options that come from a script or a command line, as input errors naming the option. */
export function checkQuantizeOptions(options: QuantizeFolderOptions): void {
  if (!isQuantizationDtype(options.dtype)) {
    throw inputError('QUANTIZE_DTYPE', `dtype ${JSON.stringify(options.dtype)} is not one of ${QUANTIZATION_DTYPES.join(', ')}`, 'uint8 (4× smaller), uint16 (2×, near-lossless) or float16 (2×).');
  }
  if (options.shardBytes !== undefined && (!Number.isInteger(options.shardBytes) || options.shardBytes < 1)) {
    throw inputError('QUANTIZE_SHARD_BYTES', `shardBytes ${options.shardBytes} is not a positive integer`, 'The converter default is 4194304 (4 MiB).');
  }
  if (options.minElements !== undefined && (!Number.isInteger(options.minElements) || options.minElements < 0)) {
    throw inputError('QUANTIZE_MIN_ELEMENTS', `minElements ${options.minElements} is not a non-negative integer`, 'E.g. 1024 keeps tensors under 1024 elements float32.');
  }
  for (const pattern of options.skip ?? []) {
    if (typeof pattern !== 'string' || pattern.trim() === '') throw inputError('QUANTIZE_SKIP_PATTERN', `skip pattern ${JSON.stringify(pattern)} is empty`, 'A skip pattern is a glob over weight names, e.g. "*bias" or "conv1/*".');
  }
}

/**
 * Quantizes the weights of a tfjs model folder — a LayersModel or a GraphModel — and writes a new
 * folder that stock `tf.loadLayersModel` / `tf.loadGraphModel` load: model.json (everything kept but
 * the manifest, whose entries gain `quantization: { dtype, scale, min }`) and shards of
 * `shardBytes`. The folder appears complete or not at all (written to a temporary sibling, then
 * renamed); `outDir` must be new or empty. Returns sizes before/after and the skipped weights.
 *
 * ```ts
 * const report = await quantizeModelFolder('model/model.json', 'web/model', { dtype: 'uint8', skip: ['*bias'] });
 * console.log(report.weightRatio, report.skipped);
 * ```
 */
export async function quantizeModelFolder(inputModelJson: string, outDir: string, options: QuantizeFolderOptions): Promise<QuantizationReport> {
  checkQuantizeOptions(options);
  await checkOutputFolder(outDir, inputModelJson);
  const folder = await readModelFolder(inputModelJson);
  let result: ReturnType<typeof quantizeFolder>;
  try {
    result = quantizeFolder(folder, options);
  } catch (error) {
    if (error instanceof WeightDataError) throw inputError('WEIGHTS_INVALID', `${inputModelJson}: ${error.message}`, 'The manifest and the shards do not match: re-convert the model.', error);
    throw error;
  }
  await writeModelFolder(outDir, result.files);
  return result.report;
}
