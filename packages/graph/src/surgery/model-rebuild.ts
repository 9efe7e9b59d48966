import * as tf from '@tensorflow/tfjs';
import { modelFromArtifacts } from '@whittle/model-io';
import type { TopologyDocument } from '../topology/topology-document.js';

/** A tensor under its model.json weight name, as `tf.io.encodeWeights` takes it. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** A weight of a live model under the name model.json gives it, with its current value (not a copy). */
export interface NamedWeight {
  readonly name: string;
  readonly value: tf.Tensor;
}

/**
 * The weights of one layer of a live model (none for a made-up Sequential input layer).
 *
 * ```ts
 * liveWeights(model, 'conv1').map((w) => w.name); // ['conv1/kernel', 'conv1/bias']
 * ```
 */
export function liveWeights(model: tf.LayersModel, layerName: string): NamedWeight[] {
  const layer = model.layers.find((l) => l.name === layerName);
  if (layer === undefined) return [];
  return layer.weights.map((w) => ({ name: w.originalName, value: w.read() }));
}

/**
 * Builds a new LayersModel from an edited topology and its weights, through model.json artifacts in
 * memory (`tf.loadLayersModel(tf.io.fromMemory(…))`), so no layer is randomly re-initialised.
 *
 * ```ts
 * const copy = await rebuildModel(TopologyDocument.fromModel(model), model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
 * ```
 */
export async function rebuildModel(document: TopologyDocument, weights: readonly NamedTensor[]): Promise<tf.LayersModel> {
  const { data, specs } = await tf.io.encodeWeights(weights.map((w) => ({ name: w.name, tensor: w.tensor })));
  return modelFromArtifacts({ modelTopology: document.toJson() as unknown as object, weightSpecs: specs, weightData: data });
}
