import { LayerOperations } from '@whittle/graph';
import type { LayerSignature } from './layer-signature.js';
import { channelsFollowInput } from './layer-signature.js';
import { signatureOfLayer, type LatencyTarget, type LayerDescription } from './signature-of-layer.js';

type Shape = readonly (number | null)[];

/**
 * The signature of a passthrough layer call (BatchNorm, activation, element-wise merge, 2-D pooling,
 * ZeroPadding2D) at full width, or undefined when the layer is not one, works on another axis than
 * the last (channels-first, BatchNorm over another axis), or has inputs of unknown or different
 * shapes (a broadcasting merge). `shapes` holds one shape per input, batch first.
 *
 * ```ts
 * passthroughSignatureOf({ className: 'Add', config: {} }, [[null, 8, 8, 16], [null, 8, 8, 16]], { backend: 'wasm', adapter: null, batch: 1 });
 * // { op: 'merge', merge: 'add', inputs: 2, cin: 16, height: 8, width: 8, … }
 * ```
 */
export function passthroughSignatureOf(
  layer: LayerDescription, shapes: readonly Shape[], target: LatencyTarget, ops: LayerOperations = LayerOperations.builtIn,
): LayerSignature | undefined {
  const signature = signatureOfLayer(layer, shapes, target, ops);
  return signature === undefined || signature.op === 'depthwise' || !channelsFollowInput(signature.op) ? undefined : signature;
}
