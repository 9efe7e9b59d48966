import * as tf from '@tensorflow/tfjs';
import { modelArtifacts, modelFromArtifacts } from '@whittle/model-io';
import { folderBytes, modelFolderFiles } from './model-folder-files.js';
import type { ModelFolder } from './model-folder.js';
import type { WeightData } from '../quantize/quantize-weights.js';

/**
 * A LayersModel as the folder `model.save()` would write (float32 weights, one group): its model.json
 * keys and weights in memory, with the sizes that folder has (`shardBytes` as the converter cuts).
 *
 * ```ts
 * const folder = await layersModelFolder(model);
 * quantizeFolder(folder, { dtype: 'uint8' });
 * ```
 */
export async function layersModelFolder(model: tf.LayersModel, options: { readonly shardBytes?: number } = {}): Promise<ModelFolder> {
  const artifacts = await modelArtifacts(model);
  const json: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: 'Whittle (@whittle/plugin-tfjs-web)',
  };
  if (artifacts.trainingConfig !== undefined) json['trainingConfig'] = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined) json['userDefinedMetadata'] = artifacts.userDefinedMetadata;
  const weights: WeightData = { specs: artifacts.weightSpecs ?? [], data: new Uint8Array(artifacts.weightData as ArrayBuffer) };
  const sizes = folderBytes(modelFolderFiles(json, weights, options));
  return { source: `model "${model.name}"`, format: 'layers-model', json, weights, modelJsonBytes: sizes.modelJson, weightBytes: sizes.weights };
}

/**
 * Builds the LayersModel a folder holds through the stock loader (`tf.loadLayersModel` of in-memory
 * artifacts), so that quantized weights are decoded exactly as a web app decodes them.
 */
export async function loadLayersFolder(json: Readonly<Record<string, unknown>>, weights: WeightData): Promise<tf.LayersModel> {
  const data = weights.data.slice().buffer;
  return modelFromArtifacts({
    modelTopology: json['modelTopology'] as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: [...weights.specs],
    weightData: data,
  });
}
