import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { saysItsKind, runtimeError } from './model-io-error.js';
import { atomicWriteDir } from './atomic-fs.js';
import { declaringAllInputs } from './unused-inputs.js';
import { fileSystemHandler } from './file-system-handler.js';

/**
 * Saves a model as `dir/model.json` + `dir/weights.bin`, atomically: the files are written to a
 * temporary sibling folder that replaces `dir` only once complete, so a failure midway leaves the
 * previous `dir` (or nothing) and no partial files.
 *
 * ```ts
 * await saveModel(model, 'runs/quickstart/pruned');
 * ```
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  try {
    await atomicWriteDir(dir, async (tmp) => {
      const handler = fileSystemHandler(join(tmp, 'model.json'));
      await model.save(tf.io.withSaveHandler((artifacts) => handler.save!({ ...artifacts, modelTopology: declaringAllInputs(artifacts.modelTopology, model) })));
    });
  } catch (error) {
    if (saysItsKind(error)) throw error;
    throw runtimeError('MODEL_SAVE_FAILED', `saving model "${model.name}" to ${dir} failed: ${(error as Error).message}`, 'Nothing was written; check the model (disposed weights?) and the folder permissions.', error);
  }
}
