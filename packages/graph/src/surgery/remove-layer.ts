import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ModelGraph } from '../graph/model-graph.js';
import { rebuildAfterEdit, sameShape } from './surgery-build.js';

/**
 * A new model without one layer: its readers read its input instead. Only a layer whose output
 * has the shape of its single input can go (Dropout, an activation, BatchNormalization, a
 * same-padded conv with as many filters as inputs …); anything else is refused with the shapes.
 *
 * ```ts
 * const noDropout = await removeLayer(model, 'dropout1');
 * ```
 */
export async function removeLayer(model: tf.LayersModel, layerName: string): Promise<tf.LayersModel> {
  const graph = ModelGraph.fromModel(model);
  const layer = graph.layer(layerName);
  if (layer.className === 'InputLayer') {
    throw inputError('LAYER_NOT_REMOVABLE', `layer "${layerName}" is a model input`, 'Remove a layer after the input.');
  }
  for (const node of layer.nodes) {
    if (node.inputs.length !== 1 || node.outputShapes.length !== 1) {
      throw inputError('LAYER_NOT_REMOVABLE', `layer "${layerName}" has ${node.inputs.length} inputs and ${node.outputShapes.length} outputs; only one-in, one-out layers can be removed`,
        'To drop a residual branch, use bypassBlock.');
    }
    if (!sameShape(node.inputShapes[0], node.outputShapes[0])) {
      throw inputError('LAYER_NOT_REMOVABLE', `layer "${layerName}" changes the shape ${JSON.stringify(node.inputShapes[0])} → ${JSON.stringify(node.outputShapes[0])}`,
        'Only shape-preserving layers can be removed; replace this one with replaceLayer instead.');
    }
  }
  const document = graph.document.clone();
  for (const node of layer.nodes) document.rewire({ layer: layerName, node: node.node, tensor: 0 }, node.inputs[0] as { layer: string; node: number; tensor: number });
  document.dropUnreachable();
  return rebuildAfterEdit(model, document, [], new Set(), `removeLayer("${layerName}")`);
}
