import * as tf from '@tensorflow/tfjs';
import { inputError, saysItsKind } from './model-io-error.js';
import { fileSystemHandler } from './file-system-handler.js';
import { withDeclaredInputs } from './unused-inputs.js';

/**
 * Loads a TensorFlow.js LayersModel from `model.json` and its weight shards on disk. Malformed files
 * (bad JSON, missing fields, escaping or missing or short shards) and tfjs's own refusals (an unknown
 * layer class, weights that do not fit the topology) become input errors that name the file.
 * Pass `modelJson` when the file was read with `readModelJson` already, so it is not read twice.
 *
 * ```ts
 * const model = await loadModel('models/cnn/model.json');
 * ```
 */
export async function loadModel(modelJsonPath: string, modelJson?: tf.io.ModelJSON): Promise<tf.LayersModel> {
  try {
    const handler = fileSystemHandler(modelJsonPath, modelJson);
    let topology: unknown;
    const load = handler.load?.bind(handler);
    const model = await tf.loadLayersModel({
      load: async () => {
        const artifacts = await load!();
        topology = artifacts.modelTopology;
        return artifacts;
      },
    });
    return withDeclaredInputs(model, topology);
  } catch (error) {
    if (saysItsKind(error)) throw error;
    const message = (error as Error).message ?? String(error);
    const unknownClass = /Unknown (layer|initializer|regularizer|constraint|activation)/i.test(message);
    throw inputError(
      'MODEL_LOAD_FAILED',
      `${modelJsonPath}: tfjs could not build the model: ${message}`,
      unknownClass
        ? 'The model uses a custom class: import the plugin that registers it (tf.serialization.registerClass) before loading.'
        : 'Check that model.json and its weights come from the same save, and that the model is a tfjs LayersModel.',
      error,
    );
  }
}
