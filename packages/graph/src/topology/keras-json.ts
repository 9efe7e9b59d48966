/**
 * The Keras JSON topology that `model.toJSON(null, false)` writes and `tf.loadLayersModel` reads
 * (snake_case keys). Only the parts the graph package reads or edits are typed; everything else is
 * carried through untouched.
 */

/** A JSON value, as found in layer configs. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A layer config: `{ name, filters, kernel_size, … }`. */
export type LayerConfigJson = { [key: string]: JsonValue };

/** One input of one call: `[layerName, nodeIndex, tensorIndex, kwargs]`. */
export type InboundRefJson = [string, number, number, ...JsonValue[]];

/** One layer of a functional model config. */
export interface LayerEntryJson {
  name: string;
  class_name: string;
  config: LayerConfigJson;
  /** One list of inputs per call of the layer (a shared layer is called several times). */
  inbound_nodes: InboundRefJson[][];
}

/** A model input or output: `[layerName, nodeIndex, tensorIndex]`. */
export type EndpointJson = [string, number, number];

/** The top-level object: `{ class_name, config, keras_version, backend }`. */
export interface ModelTopologyJson {
  class_name: string;
  config: { [key: string]: JsonValue };
  [key: string]: JsonValue | { [key: string]: JsonValue };
}

/** A deep copy of plain JSON (configs are edited in place on copies, never on the caller's objects). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A config entry read as a number, or undefined. */
export function numberField(config: LayerConfigJson, key: string): number | undefined {
  const value = config[key];
  return typeof value === 'number' ? value : undefined;
}

/** A config entry read as a string, or undefined. */
export function stringField(config: LayerConfigJson, key: string): string | undefined {
  const value = config[key];
  return typeof value === 'string' ? value : undefined;
}

/** A config entry read as a list of numbers (a scalar becomes a one-element list), or undefined. */
export function numberListField(config: LayerConfigJson, key: string): number[] | undefined {
  const value = config[key];
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) && value.every((v): v is number => typeof v === 'number')) return value;
  return undefined;
}
