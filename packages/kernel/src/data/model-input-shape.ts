import { readFile } from 'node:fs/promises';
import { isRecord } from '../io/is-record.js';
import { parseJsonBytes } from '../io/json-text.js';
import { configLayers, topologyModel } from '../io/layers-topology.js';

/** The layer list of a `modelTopology` (Functional, Sequential old and new, Keras-converted), or none. */
function layersOf(topology: unknown): unknown[] {
  if (!isRecord(topology)) return [];
  const layers = configLayers(topologyModel(topology)['config']);
  return Array.isArray(layers) ? layers : [];
}

/**
 * [h, w, c] of the first image input declared in a TensorFlow.js `model.json`, read without loading
 * the weights; `undefined` when the file cannot be read or declares no fixed 4-D input (the caller then
 * needs the size from elsewhere). Data providers that resize get it as `DataLoadEnv.modelInputShape`.
 *
 * ```ts
 * const shape = await modelInputShape('models/mobilenet/model.json'); // [224, 224, 3]
 * ```
 */
export async function modelInputShape(modelJsonPath: string): Promise<[number, number, number] | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(modelJsonPath);
  } catch {
    return undefined; // loading the model reports what is wrong with the file
  }
  // Decoded as loading decodes it (a UTF-8 byte-order mark is accepted), so both read the same file alike.
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return undefined;
  const json = parsed.value;
  for (const layer of layersOf(isRecord(json) ? json['modelTopology'] : undefined)) {
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
