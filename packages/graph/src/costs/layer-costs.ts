import * as tf from '@tensorflow/tfjs';
import type { ConcreteLayerCall } from '../layers/layer-operation.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { kerasLayerConfig } from '../layers/keras-config.js';

/** Size and compute of one layer, for ONE example (batch 1). */
export interface LayerCost {
  /** Layer name; layers of a nested model are named `outer/inner`. */
  readonly layer: string;
  readonly className: string;
  /** Output shape of the layer's first call, batch dimension set to 1 (e.g. [1, 16, 16, 32]). */
  readonly outputShape: number[];
  /** Weights the layer owns, trainable or not (a shared layer counts them once). */
  readonly params: number;
  /** Multiply–accumulates (its layer operation's `macs`), summed over every call of the layer inside the model. */
  readonly macs: number;
}

type Shape = (number | null)[];

/** Node shapes are a list of shapes, or a single shape in older code paths: always return a list, batch → 1. */
function concreteShapes(shapes: Shape | Shape[]): number[][] {
  const list = (shapes.length > 0 && Array.isArray(shapes[0]) ? shapes : [shapes]) as Shape[];
  return list.map((shape) => shape.map((d) => d ?? 1));
}

/** The calls of `layer` that belong to `model` (a layer shared with another model has calls outside it too). */
function callShapesInModel(model: tf.LayersModel, layer: tf.layers.Layer): { inputShapes: number[][]; outputShapes: number[][] }[] {
  const own = model.containerNodes;
  const calls: { inputShapes: number[][]; outputShapes: number[][] }[] = [];
  layer.inboundNodes.forEach((node, index) => {
    if (own.size > 0 && !own.has(`${layer.name}_ib-${index}`)) return;
    calls.push({ inputShapes: concreteShapes(node.inputShapes as Shape | Shape[]), outputShapes: concreteShapes(node.outputShapes as Shape | Shape[]) });
  });
  return calls;
}

function collect(model: tf.LayersModel, ops: LayerOperations, prefix: string, timesCalled: number, out: LayerCost[]): void {
  for (const layer of model.layers) {
    const calls = callShapesInModel(model, layer);
    if (layer instanceof tf.LayersModel) {
      // A nested model runs all its layers once per call of the model.
      collect(layer, ops, `${prefix}${layer.name}/`, timesCalled * Math.max(calls.length, 1), out);
      continue;
    }
    const className = layer.getClassName();
    const macs = ops.get(className)?.macs;
    let macsPerRun = 0;
    if (macs !== undefined) {
      const config = kerasLayerConfig(layer.getConfig());
      macsPerRun = calls.reduce((sum, call) => sum + macs({ config, ...call } satisfies ConcreteLayerCall), 0);
    }
    out.push({ layer: `${prefix}${layer.name}`, className, outputShape: [...(calls[0]?.outputShapes[0] ?? [])], params: layer.countParams(), macs: macsPerRun * timesCalled });
  }
}

/**
 * Parameters and MACs of every layer of a built model, for one example, in `model.layers` order,
 * from the layer operations in `ops` (default: the built-ins; a class without `macs` counts 0).
 * A shared layer appears once, with its MACs summed over its calls; a nested model is flattened.
 * Convention (ptflops', Torch-Pruning's): one MAC = one weight multiply-add; bias, BatchNorm,
 * activations, pooling, merges, reshapes, up-sampling and padding cost 0; Conv: out positions × out
 * channels × taps × in channels / groups; depthwise: out positions × out channels × taps; separable:
 * both halves; transposed conv: in positions × in channels × taps × out channels; Dense: positions ×
 * in × out.
 *
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
 * layerCosts(model); // [{ layer: 'dense_Dense1', className: 'Dense', outputShape: [1, 3], params: 15, macs: 12 }]
 * ```
 */
export function layerCosts(model: tf.LayersModel, ops: LayerOperations = LayerOperations.builtIn): LayerCost[] {
  const out: LayerCost[] = [];
  collect(model, ops, '', 1, out);
  return out;
}

/**
 * Total multiply–accumulates of one forward pass on one example (see `layerCosts`).
 *
 * ```ts
 * totalMacs(model); // e.g. 12 for dense(4 → 3)
 * totalMacs(modelWithCustomLayers, layerOperationsOf(kernel.registry));
 * ```
 */
export function totalMacs(model: tf.LayersModel, ops: LayerOperations = LayerOperations.builtIn): number {
  return layerCosts(model, ops).reduce((sum, cost) => sum + cost.macs, 0);
}
