import { kerasLayerConfig } from '../layers/keras-config.js';
import { LayerOperations } from '../layers/layer-operations.js';
import type { LayerSignature } from './layer-signature.js';

/** Where and at what batch size latencies are measured. */
export interface LatencyTarget {
  readonly backend: string;
  readonly adapter: string | null;
  readonly batch: number;
}

/** A layer's class name and config (tfjs camelCase, as `layer.getConfig()` returns it; Keras snake_case is read too). */
export interface LayerDescription {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
}

type Shape = readonly (number | null)[];

/**
 * The signature of one call of a layer at full width, from its class, config and input shape
 * (`[batch|null, …]`; a merge takes the list of its input shapes), or undefined for a layer the
 * table does not model (Flatten, Concatenate, Dropout, softmax, Conv1D/3D, channels-first layers,
 * broadcasting merges, shapes with unknown sizes): those run inside the predictor's constant.
 * What each class contributes is its layer operation's `latency` (in @whittle/graph, `ops`, default
 * the built-ins): weighted layers (conv, depthwise, separable, transposed conv, dense) and
 * passthrough layers (BatchNorm, activations, Add-like merges, 2-D pooling, ZeroPadding2D).
 *
 * ```ts
 * const layer = model.getLayer('stem_conv');
 * signatureOfLayer({ className: layer.getClassName(), config: layer.getConfig() }, [null, 32, 32, 3], { backend: 'wasm', adapter: null, batch: 1 });
 * ```
 */
export function signatureOfLayer(
  layer: LayerDescription, inputShape: Shape | readonly Shape[], target: LatencyTarget, ops: LayerOperations = LayerOperations.builtIn,
): LayerSignature | undefined {
  const shapes = (inputShape.length > 0 && Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as readonly Shape[];
  const inputs = ops.get(layer.className)?.latency?.({ config: kerasLayerConfig(layer.config), inputShapes: shapes });
  return inputs === undefined ? undefined : { ...inputs, batch: target.batch, backend: target.backend, adapter: target.adapter };
}
