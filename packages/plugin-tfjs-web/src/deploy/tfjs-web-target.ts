import * as tf from '@tensorflow/tfjs';
import { definePluginMeta, StringEnum, tapStage, Type, withDefault, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { fileSystemHandler } from '@whittle/model-io';
import { join } from 'node:path';
import { injectable } from 'tsyringe';
import { layersModelFolder } from '../folder/layers-model-folder.js';
import { folderBytes, modelFolderFiles, type ModelFolderFiles } from '../folder/model-folder-files.js';
import { quantizeFolder, type QuantizationReport } from '../folder/quantize-folder.js';
import { compareLayersModels } from '../measure/output-error.js';
import { comparisonInputs } from '../measure/comparison-inputs.js';
import { skipOptionProperties } from '../options-schemas.js';
import { QUANTIZATION_DTYPES, type QuantizationDtype } from '../quantize/quantization-dtype.js';
import { skipSummary } from '../quantize/skip-rules.js';
import { webQuantizedDtype } from '../stage/precision-scheme.js';
import { loadSnippet } from './load-snippet.js';

export const TfjsWebOptionsSchema = Type.Object(
  {
    dtype: withDefault(StringEnum(['auto', 'float32', ...QUANTIZATION_DTYPES], {
      description: 'Weight storage: "auto" = what an earlier web-quantize stage chose, else float32.',
    }), 'auto'),
    ...skipOptionProperties,
    out: withDefault(Type.String({ minLength: 1, description: 'Folder (in the stage\'s artifacts) that the web app serves.' }), 'web-model'),
    checkExamples: withDefault(Type.Integer({ minimum: 1, description: 'Examples to check the written folder on: loaded back from disk with tf.loadLayersModel and compared with the pipeline\'s model.' }), 8),
  },
  { additionalProperties: false },
);

export type TfjsWebOptions = StageOptions<typeof TfjsWebOptionsSchema>;

/**
 * Deploy target `tfjs-web`: writes the folder a web app serves — model.json and weight shards cut
 * as the converter cuts them, quantized when asked (or when an earlier `web-quantize` stage chose a
 * dtype) — with `sizes.json` (bytes of weights and model.json, float32 and as written) and
 * `LOAD.md`, a snippet that loads it with stock tfjs. Then it loads the folder back from disk with
 * `tf.loadLayersModel` and records how far its outputs are from the pipeline's model.
 *
 * ```json
 * { "hook": "deploy", "target": "tfjs-web", "options": { "dtype": "uint8", "out": "web-model" } }
 * ```
 */
@injectable()
export class TfjsWebTarget implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'tfjs-web',
    hook: 'deploy',
    description: 'Write the folder a web app serves (model.json + shards, quantized if asked), its sizes and a snippet that loads it.',
    optionsSchema: TfjsWebOptionsSchema,
    artifactPathOptions: [['out']],
  });

  readonly name = TfjsWebTarget.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, TfjsWebTarget.meta, async (result, call) => {
      const { options, ctx } = call;
      const model = ctx.model;
      const dtype: QuantizationDtype | 'float32' = options.dtype === 'auto' ? (webQuantizedDtype(ctx.precision) ?? 'float32') : options.dtype;
      const folder = await layersModelFolder(model, { shardBytes: options.shardBytes });
      let files: ModelFolderFiles;
      let report: QuantizationReport | undefined;
      if (dtype === 'float32') {
        files = modelFolderFiles(folder.json, folder.weights, { shardBytes: options.shardBytes });
      } else {
        ({ files, report } = quantizeFolder(folder, { ...options, dtype }));
      }
      const written: string[] = [];
      for (const shard of files.shards) written.push(await ctx.artifacts.writeFile(`${options.out}/${shard.name}`, shard.bytes));
      const modelJsonFile = await ctx.artifacts.writeFile(`${options.out}/model.json`, files.modelJson);
      written.push(modelJsonFile);

      const sizes = folderBytes(files);
      const summary = {
        model: model.name,
        format: 'layers-model',
        storage: dtype,
        float32: { weightBytes: folder.weightBytes, modelJsonBytes: folder.modelJsonBytes, totalBytes: folder.weightBytes + folder.modelJsonBytes },
        written: { weightBytes: sizes.weights, modelJsonBytes: sizes.modelJson, totalBytes: sizes.total, files: files.shards.length + 1 },
        weightRatio: sizes.weights === 0 ? 1 : folder.weightBytes / sizes.weights,
        totalRatio: (folder.weightBytes + folder.modelJsonBytes) / sizes.total,
        skipped: report?.skipped ?? [],
      };
      written.push(await ctx.artifacts.writeFile('sizes.json', `${JSON.stringify(summary, null, 2)}\n`));
      written.push(await ctx.artifacts.writeFile('LOAD.md', loadSnippet({
        modelName: model.name,
        format: 'layers-model',
        folder: options.out,
        inputShapes: model.inputs.map((i) => i.shape),
        storage: dtype === 'float32' ? 'float32' : `${dtype}: ${report?.quantizedTensors ?? 0} tensors quantized, ${report?.skipped.length ?? 0} kept as they were`,
        sizes: [
          { label: 'float32 weights', bytes: folder.weightBytes },
          { label: `${dtype} weights (shards)`, bytes: sizes.weights },
          { label: 'model.json', bytes: sizes.modelJson },
          { label: 'served folder in all', bytes: sizes.total },
        ],
      })));

      // The folder as a browser gets it: read back from disk by the stock loader.
      const served = await tf.loadLayersModel(fileSystemHandler(join(ctx.artifacts.root, modelJsonFile)));
      const inputs = comparisonInputs(model, ctx.data, options.checkExamples, ctx.seed);
      let error;
      try {
        error = await compareLayersModels(model, served, inputs);
      } finally {
        tf.dispose(inputs);
        served.dispose();
      }
      ctx.logger.info(`  ${options.out}/: ${dtype}, weights ${sizes.weights} bytes (${summary.weightRatio.toFixed(2)}× smaller than float32; ${summary.totalRatio.toFixed(2)}× with model.json), ${files.shards.length} shard(s); loads back with tf.loadLayersModel, output error max ${error.maxAbs.toExponential(2)}${report !== undefined && report.skipped.length > 0 ? `; kept float32: ${skipSummary(report.skipped)}` : ''}`);
      return {
        ...result,
        metrics: {
          ...result.metrics,
          weightBytes: sizes.weights,
          modelJsonBytes: sizes.modelJson,
          totalBytes: sizes.total,
          float32WeightBytes: folder.weightBytes,
          weightRatio: summary.weightRatio,
          totalRatio: summary.totalRatio,
          shards: files.shards.length,
          servedOutputMaxAbsError: error.maxAbs,
          servedOutputRelativeError: error.relative,
        },
        files: [...result.files, ...written],
        details: { ...result.details, storage: dtype, folder: join(ctx.artifacts.root, modelJsonFile, '..') },
      };
    });
  }
}
