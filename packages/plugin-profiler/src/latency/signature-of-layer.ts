import type { LayerSignature, WeightedOp } from './layer-signature.js';
import { passthroughSignatureOf } from './passthrough-signature.js';

/** Where and at what batch size latencies are measured. */
export interface LatencyTarget {
  readonly backend: string;
  readonly adapter: string | null;
  readonly batch: number;
}

const OP_OF_CLASS: Readonly<Record<string, WeightedOp>> = {
  Conv2D: 'conv2d',
  DepthwiseConv2D: 'depthwise',
  Dense: 'dense',
  Conv2DTranspose: 'conv2d-transpose',
  SeparableConv2D: 'separable',
};

/** A layer's class name and config (tfjs camelCase, as `layer.getConfig()` returns it). */
export interface LayerDescription {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
}

function pair(value: unknown, fallback: number): readonly [number, number] | undefined {
  if (value === undefined || value === null) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  return undefined;
}

type Shape = readonly (number | null)[];

/**
 * The signature of one call of a layer at full width, from its class, config and input shape
 * (`[batch|null, …]`; a merge takes the list of its input shapes), or undefined for a layer the
 * table does not model (Flatten, Concatenate, Dropout, softmax, Conv1D/3D, channels-first layers,
 * broadcasting merges, shapes with unknown sizes): those run inside the predictor's constant.
 * Weighted layers (conv, depthwise, separable, transposed conv, dense) and passthrough layers
 * (BatchNorm, activations, Add-like merges, 2-D pooling, ZeroPadding2D) are modelled.
 *
 * ```ts
 * const layer = model.getLayer('stem_conv');
 * signatureOfLayer({ className: layer.getClassName(), config: layer.getConfig() }, [null, 32, 32, 3], { backend: 'wasm', adapter: null, batch: 1 });
 * ```
 */
export function signatureOfLayer(layer: LayerDescription, inputShape: Shape | readonly Shape[], target: LatencyTarget): LayerSignature | undefined {
  const shapes = (inputShape.length > 0 && Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as readonly Shape[];
  const op = OP_OF_CLASS[layer.className];
  if (op === undefined) return passthroughSignatureOf(layer, shapes, target);
  if (shapes.length !== 1) return undefined;
  const rest = (shapes[0] as Shape).slice(1);
  if (rest.length === 0 || rest.some((d) => d === null || d <= 0)) return undefined;
  const dims = rest as number[];
  const cin = dims[dims.length - 1] as number;
  const base = { batch: target.batch, backend: target.backend, adapter: target.adapter, cin };
  const config = layer.config;
  if (op === 'dense') {
    const units = config['units'];
    if (typeof units !== 'number') return undefined;
    const rows = dims.slice(0, -1).reduce((a, b) => a * b, 1);
    return { ...base, op, cout: units, height: rows, width: 1, kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid', groups: 1, multiplier: 1 };
  }
  if (dims.length !== 3) return undefined;
  const format = config['dataFormat'];
  if (format !== undefined && format !== 'channelsLast') return undefined;
  const padding = config['padding'];
  const kernel = pair(config['kernelSize'], 1);
  const stride = pair(config['strides'], 1);
  const dilation = pair(config['dilationRate'], 1);
  if ((padding !== 'same' && padding !== 'valid') || kernel === undefined || stride === undefined || dilation === undefined) return undefined;
  const fmap = { height: dims[0] as number, width: dims[1] as number, kernel, stride, dilation, padding } as const;
  if (op === 'depthwise') {
    const multiplier = typeof config['depthMultiplier'] === 'number' ? config['depthMultiplier'] : 1;
    return { ...base, ...fmap, op, cout: cin * multiplier, groups: cin, multiplier };
  }
  const filters = config['filters'];
  if (typeof filters !== 'number') return undefined;
  if (op === 'separable') {
    const multiplier = typeof config['depthMultiplier'] === 'number' ? config['depthMultiplier'] : 1;
    return { ...base, ...fmap, op, cout: filters, groups: cin, multiplier };
  }
  return { ...base, ...fmap, op, cout: filters, groups: 1, multiplier: 1 };
}
