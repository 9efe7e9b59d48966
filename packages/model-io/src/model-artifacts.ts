import * as tf from '@tensorflow/tfjs';
import { runtimeError } from './model-io-error.js';
import { layersTopologyProblem } from './layers-topology.js';
import { declaringAllInputs, withDeclaredInputs } from './unused-inputs.js';

/**
 * The serialised form of a model, in memory: topology JSON, weight specs and one ArrayBuffer of weights.
 * Edit the topology and weights, then rebuild with `modelFromArtifacts` (the graph package does so).
 *
 * ```ts
 * const artifacts = await modelArtifacts(model);
 * const copy = await modelFromArtifacts(artifacts);
 * ```
 */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = { ...artifacts, modelTopology: declaringAllInputs(artifacts.modelTopology, model) };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (captured === undefined) throw runtimeError('MODEL_SAVE_FAILED', `model "${model.name}" produced no artifacts`);
  // One contiguous buffer is simpler for callers that slice weights by offset.
  return { ...captured, weightData: tf.io.CompositeArrayBuffer.join(captured.weightData ?? new ArrayBuffer(0)) };
}

/**
 * Builds a LayersModel from in-memory artifacts (e.g. an edited topology and sliced weights).
 * Weights are loaded strictly: every weight of the topology must be given, with its shape.
 *
 * ```ts
 * const model = await modelFromArtifacts({ modelTopology, weightSpecs, weightData });
 * ```
 */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  // tfjs loops forever on some broken topologies (a dangling reference, a cycle): refuse them first.
  const problem = artifacts.modelTopology instanceof ArrayBuffer ? undefined : layersTopologyProblem(artifacts.modelTopology);
  if (problem !== undefined) {
    throw runtimeError('MODEL_ARTIFACTS_INVALID', `cannot build a model from in-memory artifacts: ${problem}`, 'The edited topology must name each layer once and read only layers and calls that exist, without cycles.');
  }
  try {
    return withDeclaredInputs(await tf.loadLayersModel(tf.io.fromMemory(artifacts), { strict: true }), artifacts.modelTopology);
  } catch (error) {
    throw runtimeError(
      'MODEL_ARTIFACTS_INVALID',
      `cannot build a model from in-memory artifacts: ${(error as Error).message}`,
      'The topology and the weight specs/data must match (names, shapes, order), and custom layers must be registered.',
      error,
    );
  }
}

/**
 * A deep copy: same topology, layer names and weight values, but new layers and new weight tensors,
 * so that editing or disposing one model leaves the other intact.
 *
 * ```ts
 * const student = await cloneModel(teacher);
 * ```
 */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  return modelFromArtifacts(await modelArtifacts(model));
}
