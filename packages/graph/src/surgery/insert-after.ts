import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ModelGraph } from '../graph/model-graph.js';
import { materialiseLayer, type LayerSpec } from './layer-spec.js';
import { rebuildAfterEdit, sameShape } from './surgery-build.js';

/**
 * A new model with one layer inserted right after `layerName`: the new layer reads that layer's
 * output and every former reader of it (and the model output, if it was one) now reads the new
 * layer. Unless it only feeds the model output, the new layer must keep the shape. Without
 * `config.name` the layer is named `<class>_after_<layerName>`.
 *
 * ```ts
 * const withBn = await insertAfter(model, 'conv1', { className: 'BatchNormalization', config: {} });
 * ```
 */
export async function insertAfter(model: tf.LayersModel, layerName: string, layer: LayerSpec): Promise<tf.LayersModel> {
  const graph = ModelGraph.fromModel(model);
  const anchor = graph.layer(layerName);
  const node = anchor.nodes[0];
  if (node === undefined || anchor.nodes.length !== 1 || node.outputShapes.length !== 1) {
    throw inputError('LAYER_NOT_INSERTABLE', `layer "${layerName}" is called ${anchor.nodes.length} times or has several outputs; insertAfter needs one call with one output`,
      'Insert after a layer that is used once.');
  }
  const requested = layer?.config?.['name'];
  const name = typeof requested === 'string' && requested !== '' ? requested : `${String(layer?.className).toLowerCase()}_after_${layerName}`;
  if (graph.hasLayer(name)) {
    throw inputError('LAYER_NAME_TAKEN', `layer name "${name}" is already used in model "${graph.document.name}"`, 'Give the new layer an unused config.name.');
  }
  const built = await materialiseLayer(layer, name, [node.outputShapes[0] as readonly (number | null)[]]);
  try {
    const source = { layer: layerName, node: node.node, tensor: 0 };
    const readers = graph.consumers(source);
    if (readers.length > 0 && !sameShape(built.outputShapes[0], node.outputShapes[0])) {
      throw inputError('LAYER_SHAPE_MISMATCH', `inserted ${layer.className} outputs ${JSON.stringify(built.outputShapes[0])}, but ${readers.map((r) => `"${r.layer}"`).join(', ')} read ${JSON.stringify(node.outputShapes[0])} from "${layerName}"`,
        'Insert a layer that keeps the shape.');
    }
    const document = graph.document.clone();
    document.rewire(source, { layer: name, node: 0, tensor: 0 });
    const at = document.layers.findIndex((e) => e.name === layerName);
    document.layers.splice(at + 1, 0, { name, class_name: built.className, config: built.config, inbound_nodes: [[[layerName, node.node, 0, {}]]] });
    return await rebuildAfterEdit(model, document, built.weights, new Set([name]), `insertAfter("${layerName}")`);
  } finally {
    built.dispose();
  }
}
