/**
 * @whittle/plugin-tfjs-web — TensorFlow.js models for the web: weight quantization (uint8 / uint16
 * affine with exact zeros, float16) written as the weights manifests stock `tf.loadLayersModel` and
 * `tf.loadGraphModel` read, for LayersModels and GraphModels (`quantizeModelFolder`); the `quantize`
 * stage `web-quantize`; and the deploy target `tfjs-web` (the folder a web app serves, its sizes and
 * a snippet that loads it).
 */
import { definePluginManifest } from '@whittle/kernel';
import { TfjsWebTarget } from './deploy/tfjs-web-target.js';
import { WebQuantizePlugin } from './stage/web-quantize-plugin.js';

export { QUANTIZATION_DTYPES, QUANTIZED_BYTES_PER_ELEMENT, isQuantizationDtype, type QuantizationDtype } from './quantize/quantization-dtype.js';
export { affineDecode, affineParams, affineQuantize, type AffineEncoding, type AffineParams } from './quantize/affine-quantization.js';
export { float16Bytes, float16Values } from './quantize/float16-encoding.js';
export { SKIP_DEFAULTS, SkipMatcher, skipSummary, type SkipReason, type SkippedTensor, type SkipRules } from './quantize/skip-rules.js';
export { quantizeWeights, WeightDataError, type QuantizedWeights, type QuantizeWeightsOptions, type TensorQuantization, type WeightData } from './quantize/quantize-weights.js';
export { decodeEntryValues, elementCount } from './quantize/weight-entry-bytes.js';
export { modelFormatOf, type ModelFolder, type ModelFormat } from './folder/model-folder.js';
export { readModelFolder } from './folder/read-model-folder.js';
export { modelFolderHandler } from './folder/model-folder-handler.js';
export { DEFAULT_SHARD_BYTES, folderBytes, modelFolderFiles, type ModelFolderFiles } from './folder/model-folder-files.js';
export { checkOutputFolder, writeModelFolder } from './folder/write-model-folder.js';
export { quantizeFolder, type FolderSizes, type QuantizationReport, type QuantizeFolderOptions } from './folder/quantize-folder.js';
export { checkQuantizeOptions, quantizeModelFolder } from './folder/quantize-model-folder.js';
export { layersModelFolder, loadLayersFolder } from './folder/layers-model-folder.js';
export { compareLayersModels, outputError, outputList, type OutputError } from './measure/output-error.js';
export { comparisonInputs } from './measure/comparison-inputs.js';
export { compareStorage, type StorageComparisonOptions, type StorageRow } from './measure/storage-comparison.js';
export { WebQuantizeOptionsSchema, WebQuantizePlugin, type WebQuantizeOptions } from './stage/web-quantize-plugin.js';
export { precisionScheme, webQuantizedDtype } from './stage/precision-scheme.js';
export { TfjsWebOptionsSchema, TfjsWebTarget, type TfjsWebOptions } from './deploy/tfjs-web-target.js';
export { loadSnippet, type SnippetFacts } from './deploy/load-snippet.js';

export default definePluginManifest({
  name: '@whittle/plugin-tfjs-web',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [WebQuantizePlugin, TfjsWebTarget],
});
