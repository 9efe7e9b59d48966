import type * as tf from '@tensorflow/tfjs';
import { isRecord } from './is-record.js';
import { configLayers, topologyModel } from './layers-topology.js';

/** The layer list of a `modelTopology` (Functional, Sequential old and new, Keras-converted), or none. */
function layersOf(topology: unknown): unknown[] {
  if (!isRecord(topology)) return [];
  const layers = configLayers(topologyModel(topology)['config']);
  return Array.isArray(layers) ? layers : [];
}

/**
 * [h, w, c] of the first image input declared in a parsed `model.json` (as `readModelJson` returns
 * it; the weights are not needed); `undefined` when it declares no fixed 4-D input (the caller then
 * needs the size from elsewhere). Data providers that resize get it as `DataLoadEnv.modelInputShape`.
 *
 * ```ts
 * const shape = modelInputShape(await readModelJson('models/mobilenet/model.json')); // [224, 224, 3]
 * ```
 */
export function modelInputShape(modelJson: tf.io.ModelJSON): [number, number, number] | undefined {
  for (const layer of layersOf(modelJson.modelTopology)) {
    const config = isRecord(layer) && isRecord(layer['config']) ? layer['config'] : undefined;
    const shape = config?.['batch_input_shape'] ?? config?.['batch_shape'];
    if (!Array.isArray(shape)) continue;
    const [, h, w, c] = shape as unknown[];
    const dims = [h, w, c];
    if (shape.length === 4 && dims.every((d) => Number.isInteger(d) && (d as number) > 0)) return dims as [number, number, number];
    return undefined;
  }
  return undefined;
}
