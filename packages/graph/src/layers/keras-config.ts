import type { JsonValue, LayerConfigJson } from '../topology/keras-json.js';

/** tfjs's `toSnakeCase`: `depthMultiplier` → `depth_multiplier`, `channelsLast` → `channels_last`. */
function snakeCase(name: string): string {
  const snake = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake.startsWith('_') ? `private${snake}` : snake;
}

function convert(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return snakeCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(convert);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    // Names stay as they are, as in tfjs's serialisation.
    out[snakeCase(key)] = (key === 'name' || key === 'className') && typeof inner === 'string' ? inner : convert(inner);
  }
  return out;
}

/**
 * A tfjs layer config (`layer.getConfig()`, camelCase keys and values) in the graph package's one
 * dialect, the Keras JSON that `model.toJSON()` writes (snake_case keys and string values, names kept):
 * the same conversion tfjs applies when it serialises a model (`convertTsToPythonic`). Every layer
 * operation reads configs in this dialect; convert once, where a live layer's config enters.
 *
 * ```ts
 * kerasLayerConfig({ depthMultiplier: 2, dataFormat: 'channelsLast', name: 'dwConv' });
 * // { depth_multiplier: 2, data_format: 'channels_last', name: 'dwConv' }
 * ```
 */
export function kerasLayerConfig(config: Readonly<Record<string, unknown>>): LayerConfigJson {
  return convert(config) as LayerConfigJson;
}
