import { readFile } from 'node:fs/promises';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The layer list of a `modelTopology`: Functional / new Sequential (`config.layers`), old Sequential (`config` is the list), Keras-converted (`model_config`). */
function layersOf(topology: unknown): unknown[] {
  if (!isObject(topology)) return [];
  const model = isObject(topology['model_config']) ? topology['model_config'] : topology;
  const config = model['config'];
  if (Array.isArray(config)) return config;
  return isObject(config) && Array.isArray(config['layers']) ? config['layers'] : [];
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
  let json: unknown;
  try {
    json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  } catch {
    return undefined; // loading the model reports what is wrong with the file
  }
  for (const layer of layersOf(isObject(json) ? json['modelTopology'] : undefined)) {
    const config = isObject(layer) && isObject(layer['config']) ? layer['config'] : undefined;
    const shape = config?.['batch_input_shape'] ?? config?.['batch_shape'];
    if (!Array.isArray(shape)) continue;
    const [, h, w, c] = shape as unknown[];
    const dims = [h, w, c];
    if (shape.length === 4 && dims.every((d) => Number.isInteger(d) && (d as number) > 0)) return dims as [number, number, number];
    return undefined;
  }
  return undefined;
}
