import * as tf from '@tensorflow/tfjs';

type Configurable = { getConfig(): tf.serialization.ConfigDict; depthMultiplier?: number };

let applied = false;

/**
 * Fixes tfjs 4.22 serialisation bugs that would make a saved or cloned model differ from the live one.
 * Applied once when the kernel loads.
 *
 * - `SeparableConv2D.getConfig()` omits `depthMultiplier`, so a model with a multiplier other than 1
 *   reloads from its own model.json with multiplier 1 and fails on the weight shapes.
 */
export function applyTfjsSerializationFixes(): void {
  if (applied) return;
  applied = true;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['SeparableConv2D'];
  if (entry === undefined) return;
  const prototype = (entry[0] as unknown as { prototype: Configurable }).prototype;
  const original = prototype.getConfig;
  prototype.getConfig = function (this: Configurable): tf.serialization.ConfigDict {
    const config = original.call(this);
    if (config['depthMultiplier'] === undefined && this.depthMultiplier !== undefined) config['depthMultiplier'] = this.depthMultiplier;
    return config;
  };
}
