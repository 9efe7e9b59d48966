import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { Shape } from '../graph/model-graph.js';
import { isJsonObject, type JsonValue, type LayerConfigJson } from '../topology/keras-json.js';
import type { NamedTensor } from './model-rebuild.js';

/**
 * A layer to put into a model: its tfjs class name, its config (tfjs camelCase as in
 * `tf.layers.conv2d({...})`, or Keras snake_case as in model.json), and optionally its weights in
 * the layer's own order (`layer.getWeights()` order). Without weights the layer is freshly
 * initialised by its initialisers.
 */
export interface LayerSpec {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly weights?: readonly tf.Tensor[];
}

/** A layer spec resolved against the place it goes: normalised config, weights, output shapes. */
export interface MaterialisedLayer {
  readonly className: string;
  /** The config as model.json spells it (snake_case), name included. */
  readonly config: LayerConfigJson;
  readonly weights: NamedTensor[];
  readonly outputShapes: Shape[];
  /** Frees the weights this call created (given weights stay the caller's). */
  dispose(): void;
}

/**
 * Builds a spec'd layer alone on inputs of the given shapes (a two-layer model made with tfjs's own
 * deserialiser), to validate it, normalise its config and get its weights under the names the real
 * model will look for (`<layer name>/kernel` …).
 *
 * ```ts
 * const built = await materialiseLayer({ className: 'Conv2D', config: { filters: 8, kernelSize: 3, padding: 'same' } }, 'conv_new', [[null, 16, 16, 8]]);
 * built.config.kernel_size; // [3, 3]
 * built.dispose();
 * ```
 */
export async function materialiseLayer(spec: LayerSpec, name: string, inputShapes: readonly Shape[]): Promise<MaterialisedLayer> {
  if (typeof spec?.className !== 'string' || spec.className === '' || typeof spec.config !== 'object' || spec.config === null) {
    throw inputError('LAYER_SPEC_INVALID', `layer spec for "${name}" needs a className and a config object`, "Pass { className: 'Conv2D', config: { filters: 8, kernelSize: 3 } }.");
  }
  const inputNames = inputShapes.map((_, i) => `${name}__whittle_input_${i}`);
  const topology = {
    class_name: 'Model',
    config: {
      name: `${name}__whittle_standalone`,
      layers: [
        ...inputShapes.map((shape, i) => ({
          name: inputNames[i], class_name: 'InputLayer', inbound_nodes: [],
          config: { batch_input_shape: [...shape], dtype: 'float32', sparse: false, name: inputNames[i] },
        })),
        { name, class_name: spec.className, config: { ...spec.config, name }, inbound_nodes: [inputNames.map((n) => [n, 0, 0, {}])] },
      ],
      input_layers: inputNames.map((n) => [n, 0, 0]),
      output_layers: [[name, 0, 0]],
    },
  };
  let standalone: tf.LayersModel;
  try {
    standalone = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  } catch (error) {
    throw inputError('LAYER_SPEC_INVALID', `layer "${name}" (${spec.className}) cannot be built on input ${JSON.stringify(inputShapes)}: ${(error as Error).message}`,
      'Check the class name (a registered tfjs layer class) and its config.', error);
  }
  try {
    const layer = standalone.getLayer(name);
    const json = standalone.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: JsonValue }[] } };
    const entry = json.config.layers[json.config.layers.length - 1];
    if (entry === undefined || !isJsonObject(entry.config)) throw new Error('no layer config written');
    const given = spec.weights;
    let weights: NamedTensor[];
    let owned: tf.Tensor[] = [];
    if (given !== undefined) {
      if (given.length !== layer.weights.length) {
        throw inputError('LAYER_WEIGHTS_INVALID', `layer "${name}" (${spec.className}) has ${layer.weights.length} weights, ${given.length} were given`,
          `Give them in order: ${layer.weights.map((w) => `${w.originalName} ${JSON.stringify(w.shape)}`).join(', ')}.`);
      }
      weights = layer.weights.map((w, i) => {
        const tensor = given[i] as tf.Tensor;
        if (!tf.util.arraysEqual(tensor.shape, w.shape as number[])) {
          throw inputError('LAYER_WEIGHTS_INVALID', `weight ${i} of layer "${name}" (${w.originalName}) has shape ${JSON.stringify(tensor.shape)}, expected ${JSON.stringify(w.shape)}`,
            'Give weights in the shapes the layer creates for its input.');
        }
        return { name: w.originalName, tensor };
      });
    } else {
      owned = layer.weights.map((w) => w.read().clone());
      weights = layer.weights.map((w, i) => ({ name: w.originalName, tensor: owned[i] as tf.Tensor }));
    }
    const out = layer.outputShape;
    const outputShapes = (out.length > 0 && Array.isArray(out[0]) ? out : [out]) as Shape[];
    return {
      className: entry.class_name,
      config: entry.config as LayerConfigJson,
      weights,
      outputShapes,
      dispose: () => tf.dispose(owned),
    };
  } finally {
    standalone.dispose();
  }
}
