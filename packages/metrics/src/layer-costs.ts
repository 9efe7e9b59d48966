import * as tf from '@tensorflow/tfjs';
import { macCounterFor, type LayerCall } from './mac-counters.js';

/** Size and compute of one layer, for ONE example (batch 1). */
export interface LayerCost {
  /** Layer name; layers of a nested model are named `outer/inner`. */
  layer: string;
  className: string;
  /** Output shape of the layer's first call, batch dimension set to 1 (e.g. [1, 16, 16, 32]). */
  outputShape: number[];
  /** Weights the layer owns, trainable or not (a shared layer counts them once). */
  params: number;
  /** Multiply–accumulates, summed over every call of the layer inside the model (see mac-counters.ts). */
  macs: number;
}

type Shape = (number | null)[];

/** Node shapes are a list of shapes, or a single shape in older code paths: always return a list, batch → 1. */
function concreteShapes(shapes: Shape | Shape[]): number[][] {
  const list = (shapes.length > 0 && Array.isArray(shapes[0]) ? shapes : [shapes]) as Shape[];
  return list.map((shape) => shape.map((d) => d ?? 1));
}

/** The calls of `layer` that belong to `model` (a layer shared with another model has calls outside it too). */
function callsInModel(model: tf.LayersModel, layer: tf.layers.Layer): LayerCall[] {
  const own = model.containerNodes;
  const calls: LayerCall[] = [];
  layer.inboundNodes.forEach((node, index) => {
    if (own.size > 0 && !own.has(`${layer.name}_ib-${index}`)) return;
    calls.push({ inputShapes: concreteShapes(node.inputShapes), outputShapes: concreteShapes(node.outputShapes) });
  });
  return calls;
}

function collect(model: tf.LayersModel, prefix: string, timesCalled: number, out: LayerCost[]): void {
  for (const layer of model.layers) {
    const calls = callsInModel(model, layer);
    if (layer instanceof tf.LayersModel) {
      // A nested model runs all its layers once per call of the model.
      collect(layer, `${prefix}${layer.name}/`, timesCalled * Math.max(calls.length, 1), out);
      continue;
    }
    const className = layer.getClassName();
    const counter = macCounterFor(className);
    const macsPerRun = counter === undefined ? 0 : calls.reduce((sum, call) => sum + counter(layer, call), 0);
    out.push({
      layer: `${prefix}${layer.name}`,
      className,
      outputShape: [...(calls[0]?.outputShapes[0] ?? [])],
      params: layer.countParams(),
      macs: macsPerRun * timesCalled,
    });
  }
}

/**
 * Parameters and MACs of every layer of a built model, for one example, in `model.layers` order.
 * A shared layer appears once, with its MACs summed over its calls; a nested model is flattened.
 *
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
 * layerCosts(model); // [{ layer: 'dense_Dense1', className: 'Dense', outputShape: [1, 3], params: 15, macs: 12 }]
 * ```
 */
export function layerCosts(model: tf.LayersModel): LayerCost[] {
  const out: LayerCost[] = [];
  collect(model, '', 1, out);
  return out;
}

/**
 * Total multiply–accumulates of one forward pass on one example.
 *
 * ```ts
 * const macs = totalMacs(model); // e.g. 12 for dense(4 → 3)
 * ```
 */
export function totalMacs(model: tf.LayersModel): number {
  return layerCosts(model).reduce((sum, cost) => sum + cost.macs, 0);
}
