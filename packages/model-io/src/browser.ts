/**
 * @whittle/model-io in a browser (the `browser` export condition): the tfjs serialisation fixes and
 * what works on model artifacts in memory. Files are read and written through `tf.io` handlers
 * there (`tf.io.browserFiles`, a URL, `tf.io.browserDownloads`), not through this package.
 */
import { applyTfjsSerializationFixes } from './tfjs-serialization-fixes.js';

applyTfjsSerializationFixes();

export { ModelIoError, isModelIoError, type KindedError } from './model-io-error.js';
export { CodedError } from './coded-error.js';
export { cloneModel, modelArtifacts, modelFromArtifacts } from './model-artifacts.js';
export { layersTopologyProblem } from './layers-topology.js';
export { declaringAllInputs, withDeclaredInputs } from './unused-inputs.js';
export { modelInputShape } from './model-input-shape.js';
export { parseJsonBytes, type JsonParseResult } from './json-text.js';
