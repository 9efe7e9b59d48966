/**
 * @whittle/model-io — reading, checking and writing TensorFlow.js LayersModel files (model.json +
 * weight shards), atomically, with errors that name the file. Importing it applies the tfjs
 * serialisation fixes (see tfjs-serialization-fixes.ts) before any model is loaded or saved.
 */
import { applyTfjsSerializationFixes } from './tfjs-serialization-fixes.js';

applyTfjsSerializationFixes();

export { ModelIoError, isModelIoError, type KindedError } from './model-io-error.js';
export { CodedError } from './coded-error.js';
export { loadModel } from './load-model.js';
export { saveModel } from './save-model.js';
export { fileSystemHandler, readModelJson } from './file-system-handler.js';
export { parseModelJson } from './model-json.js';
export { cloneModel, modelArtifacts, modelFromArtifacts } from './model-artifacts.js';
export { declaringAllInputs, withDeclaredInputs } from './unused-inputs.js';
export { layersTopologyProblem } from './layers-topology.js';
export { modelInputShape } from './model-input-shape.js';
export { atomicWriteDir, atomicWriteFile, checkOutputFilePath, outputPathError } from './atomic-fs.js';
export { parseJsonBytes, type JsonParseResult } from './json-text.js';
export { pathProblem } from './path-problem.js';
