import type * as tf from '@tensorflow/tfjs';
import { layerCosts, LayerOperations } from '@whittle/graph';

/** One layer of a model as the report draws it. */
export interface LayerRow {
  readonly layer: string;
  readonly className: string;
  /** Output channels (the last dimension of its output), or undefined for layers without weights. */
  readonly channels: number | undefined;
  readonly params: number;
  /** Multiply–accumulates for one example. */
  readonly macs: number;
}

/** Layers whose output channels a pruner does not choose (they follow their input, or are normalisations). */
const NOT_CHANNEL_LAYERS = new Set(['BatchNormalization', 'LayerNormalization']);

/**
 * The model's layers with their output channels, params and MACs (from `@whittle/graph`'s `layerCosts`,
 * with `ops`: the built-in layer operations unless a plugin's custom layers need theirs).
 *
 * ```ts
 * const rows = layerRows(model); // [{ layer: 'conv1', className: 'Conv2D', channels: 16, params: 448, macs: 110592 }, …]
 * ```
 */
export function layerRows(model: tf.LayersModel, ops: LayerOperations = LayerOperations.builtIn): LayerRow[] {
  return layerCosts(model, ops).map((cost) => ({
    layer: cost.layer,
    className: cost.className,
    channels: cost.params > 0 && !NOT_CHANNEL_LAYERS.has(cost.className) ? cost.outputShape.at(-1) : undefined,
    params: cost.params,
    macs: cost.macs,
  }));
}
