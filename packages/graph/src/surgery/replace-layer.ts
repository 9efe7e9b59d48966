import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ModelGraph } from '../graph/model-graph.js';
import { materialiseLayer, type LayerSpec } from './layer-spec.js';
import { rebuildAfterEdit, sameShape } from './surgery-build.js';

/**
 * A new model in which one layer is swapped for another that reads the same inputs and writes the
 * same output shape (e.g. a Conv2D for a SeparableConv2D, a ReLU for a LeakyReLU). Every other
 * layer keeps its weights; the new layer gets `replacement.weights` or a fresh initialisation. The
 * new layer keeps the old name unless `replacement.config.name` gives another.
 *
 * ```ts
 * const leaky = await replaceLayer(model, 'relu1', { className: 'LeakyReLU', config: { alpha: 0.1 } });
 * ```
 */
export async function replaceLayer(model: tf.LayersModel, layerName: string, replacement: LayerSpec): Promise<tf.LayersModel> {
  const graph = ModelGraph.fromModel(model);
  const layer = graph.layer(layerName);
  const first = layer.nodes[0];
  if (layer.className === 'InputLayer' || first === undefined) {
    throw inputError('LAYER_NOT_REPLACEABLE', `layer "${layerName}" is a model input and cannot be replaced`, 'Replace a layer after the input.');
  }
  const requested = replacement?.config?.['name'];
  const name = typeof requested === 'string' && requested !== '' ? requested : layerName;
  if (name !== layerName && graph.hasLayer(name)) {
    throw inputError('LAYER_NAME_TAKEN', `replacement name "${name}" is already used by another layer of model "${graph.document.name}"`, 'Pick an unused name, or leave config.name out to keep the old one.');
  }
  const built = await materialiseLayer(replacement, name, first.inputShapes);
  try {
    if (!sameShape(built.outputShapes[0], first.outputShapes[0]) || built.outputShapes.length !== first.outputShapes.length) {
      throw inputError('LAYER_SHAPE_MISMATCH', `replacement ${replacement.className} for layer "${layerName}" outputs ${JSON.stringify(built.outputShapes)}, the layer outputs ${JSON.stringify(first.outputShapes)}`,
        'The replacement must write the shape the following layers read.');
    }
    const document = graph.document.clone();
    const entry = document.requireEntry(layerName);
    const oldFirst = document.firstNode(entry);
    entry.class_name = built.className;
    entry.config = built.config;
    entry.name = name;
    // References change when the name does, or when a nested model (calls numbered from 1) is swapped for a layer.
    const shift = document.firstNode(entry) - oldFirst;
    if (name !== layerName || shift !== 0) {
      const nodes = layer.nodes.map((n) => n.node).sort((a, b) => (shift > 0 ? b - a : a - b));
      for (const node of nodes) {
        for (let tensor = 0; tensor < first.outputShapes.length; tensor++) {
          document.rewire({ layer: layerName, node, tensor }, { layer: name, node: node + shift, tensor });
        }
      }
    }
    return await rebuildAfterEdit(model, document, built.weights, new Set([name]), `replaceLayer("${layerName}")`);
  } finally {
    built.dispose();
  }
}
