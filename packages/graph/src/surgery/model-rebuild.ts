import * as tf from '@tensorflow/tfjs';
import { modelFromArtifacts } from '@whittle/model-io';
import type { TopologyDocument } from '../topology/topology-document.js';
import { repeatedInputs, separateRepeatedInputs } from './repeated-inputs.js';

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
 * Where the edit left a layer reading one tensor twice (a skip concatenation whose two sides became
 * the same tensor), the repeat reads it through a weightless same-shape Reshape
 * (`separateRepeatedInputs`): tfjs-layers' `predict` would otherwise free that tensor early.
 *
 * ```ts
 * const copy = await rebuildModel(TopologyDocument.fromModel(model), model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
 * ```
 */
export async function rebuildModel(document: TopologyDocument, weights: readonly NamedTensor[]): Promise<tf.LayersModel> {
  const { data, specs } = await tf.io.encodeWeights(weights.map((w) => ({ name: w.name, tensor: w.tensor })));
  const build = (doc: TopologyDocument) => modelFromArtifacts({ modelTopology: doc.toJson() as unknown as object, weightSpecs: specs, weightData: data });
  const model = await build(document);
  if (repeatedInputs(document).length === 0) return model;
  try {
    // The shapes of the repeated tensors come from the model as built; the Reshapes carry no weights.
    const separated = document.clone();
    separateRepeatedInputs(separated, (ref) => {
      const shape = model.getLayer(ref.layer).inboundNodes[ref.node]?.outputTensors[ref.tensor]?.shape;
      if (shape === undefined) throw new Error(`rebuildModel: no output ${ref.tensor} of call ${ref.node} of layer "${ref.layer}"`);
      return shape.slice(1);
    });
    return await build(separated);
  } finally {
    model.dispose();
  }
}
