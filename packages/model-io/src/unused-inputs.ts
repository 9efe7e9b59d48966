import * as tf from '@tensorflow/tfjs';
import { isRecord } from './is-record.js';

/**
 * `topology` (model.json's `modelTopology`, as `model.save` hands it over) with every input of
 * `model` declared: tfjs 4.22's `getConfig` leaves out an input that no output depends on, so the
 * saved signature would lose it. Missing InputLayers are added, and `input_layers` lists the
 * model's inputs in order. A topology that lost none is returned unchanged.
 *
 * ```ts
 * await model.save(tf.io.withSaveHandler(async (a) => inner.save({ ...a, modelTopology: declaringAllInputs(a.modelTopology, model) })));
 * ```
 */
export function declaringAllInputs<T>(topology: T, model: tf.LayersModel): T {
  const config = topologyConfig(topology);
  const declared = Array.isArray(config?.['input_layers']) ? (config['input_layers'] as unknown[]) : undefined;
  if (config === undefined || declared === undefined || declared.length >= model.inputLayers.length) return topology;
  const layers = Array.isArray(config['layers']) ? (config['layers'] as unknown[]) : [];
  const named = new Set(layers.filter(isRecord).map((l) => l['name']));
  const missing = model.inputLayers.filter((l) => !named.has(l.name));
  config['layers'] = [
    ...missing.map((l) => ({ class_name: 'InputLayer', config: { ...l.getConfig(), batch_input_shape: l.batchInputShape, dtype: l.dtype }, name: l.name, inbound_nodes: [] })),
    ...layers,
  ];
  config['input_layers'] = model.inputLayers.map((l) => [l.name, 0, 0]);
  return topology;
}

/**
 * `model` with every input its topology declares, in the declared order. tfjs 4.22's
 * `loadLayersModel` silently drops an input that no output depends on, so the reloaded model has a
 * different signature than the one saved (a diffusion U-Net whose cross-attention blocks were all
 * removed no longer takes its class label, and every caller passing three tensors fails). The lost
 * inputs are recreated from their InputLayer configs and the model is re-wrapped around the same
 * layers; a model that lost none is returned as it is.
 *
 * ```ts
 * const model = withDeclaredInputs(await tf.loadLayersModel(handler), artifacts.modelTopology);
 * ```
 */
export function withDeclaredInputs(model: tf.LayersModel, modelTopology: unknown): tf.LayersModel {
  const config = topologyConfig(modelTopology);
  const declared = Array.isArray(config?.['input_layers']) ? (config['input_layers'] as unknown[]) : [];
  if (declared.length <= model.inputs.length) return model;
  const present = new Map(model.inputLayers.map((layer, i) => [layer.name, model.inputs[i] as tf.SymbolicTensor]));
  const layers = Array.isArray(config?.['layers']) ? (config['layers'] as unknown[]).filter(isRecord) : [];
  const inputs = declared.map((entry) => {
    const name = Array.isArray(entry) ? String(entry[0]) : '';
    const kept = present.get(name);
    if (kept !== undefined) return kept;
    const layer = layers.find((l) => l['name'] === name);
    const layerConfig = isRecord(layer?.['config']) ? layer['config'] : {};
    const batchShape = layerConfig['batch_input_shape'] as (number | null)[] | undefined;
    if (!Array.isArray(batchShape)) throw new Error(`model "${model.name}": declared input "${name}" has no batch_input_shape`);
    return tf.input({ batchShape, name, dtype: (layerConfig['dtype'] as tf.DataType | undefined) ?? 'float32' });
  });
  return tf.model({ inputs, outputs: model.outputs, name: model.name });
}

/** The functional model's config inside a topology JSON (bare or wrapped in `model_config`). */
function topologyConfig(topology: unknown): Record<string, unknown> | undefined {
  if (!isRecord(topology)) return undefined;
  const top = isRecord(topology['model_config']) ? topology['model_config'] : topology;
  return isRecord(top['config']) ? top['config'] : undefined;
}
