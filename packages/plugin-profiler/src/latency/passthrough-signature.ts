import type { ActivationKind, LayerSignature, MergeKind } from './layer-signature.js';
import type { LatencyTarget, LayerDescription } from './signature-of-layer.js';

type Shape = readonly (number | null)[];

/** `Activation` layer identifiers (as tfjs's getConfig writes them) → what the layer runs. `linear` runs nothing; `softmax` mixes channels. */
const ACTIVATION_OF_IDENTIFIER: Readonly<Record<string, ActivationKind>> = {
  relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', hardSigmoid: 'hard-sigmoid', tanh: 'tanh',
  softplus: 'softplus', softsign: 'softsign', swish: 'swish', mish: 'mish', gelu: 'gelu', gelu_new: 'gelu-new',
};

const MERGE_OF_CLASS: Readonly<Record<string, MergeKind>> = {
  Add: 'add', Subtract: 'subtract', Multiply: 'multiply', Average: 'average', Maximum: 'maximum', Minimum: 'minimum',
};

const POOL_OF_CLASS = { MaxPooling2D: 'max-pool', AveragePooling2D: 'avg-pool', GlobalAveragePooling2D: 'global-avg-pool', GlobalMaxPooling2D: 'global-max-pool' } as const;

function activationOf(layer: LayerDescription): ActivationKind | undefined {
  const config = layer.config;
  switch (layer.className) {
    case 'ReLU':
      return config['maxValue'] === undefined || config['maxValue'] === null ? 'relu' : 'relu-max';
    case 'LeakyReLU':
      return 'leaky-relu';
    case 'ELU':
      return 'elu';
    case 'ThresholdedReLU':
      return 'thresholded-relu';
    case 'Activation':
      return typeof config['activation'] === 'string' ? ACTIVATION_OF_IDENTIFIER[config['activation']] : undefined;
    default:
      return undefined;
  }
}

function pair(value: unknown): readonly [number, number] | undefined {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  return undefined;
}

/** ZeroPadding2D `padding`: n, [rows, cols] or [[top, bottom], [left, right]]. */
function padsOf(value: unknown): readonly [number, number, number, number] | undefined {
  if (typeof value === 'number') return [value, value, value, value];
  const simple = pair(value);
  if (simple !== undefined) return [simple[0], simple[0], simple[1], simple[1]];
  if (Array.isArray(value) && value.length === 2) {
    const rows = pair(value[0]);
    const cols = pair(value[1]);
    if (rows !== undefined && cols !== undefined) return [rows[0], rows[1], cols[0], cols[1]];
  }
  return undefined;
}

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
export function passthroughSignatureOf(layer: LayerDescription, shapes: readonly Shape[], target: LatencyTarget): LayerSignature | undefined {
  const first = shapes[0];
  if (first === undefined || shapes.some((s) => s.length !== first.length || s.some((d, i) => d !== first[i]))) return undefined;
  const dims = first.slice(1);
  if (dims.length === 0 || dims.some((d) => d === null || d <= 0)) return undefined;
  const sizes = dims as number[];
  const channels = sizes[sizes.length - 1] as number;
  const config = layer.config;
  const format = config['dataFormat'];
  if (format !== undefined && format !== 'channelsLast') return undefined;
  // Feature map: rows × columns for images, the product of the middle axes (× 1) otherwise, as for Dense.
  const fmap = sizes.length === 3 ? { height: sizes[0] as number, width: sizes[1] as number } : { height: sizes.slice(0, -1).reduce((a, b) => a * b, 1), width: 1 };
  const base = {
    batch: target.batch, backend: target.backend, adapter: target.adapter, cin: channels, cout: channels, ...fmap,
    kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid', groups: channels, multiplier: 1,
  } as const;

  const merge = MERGE_OF_CLASS[layer.className];
  if (merge !== undefined) return shapes.length >= 2 ? { ...base, op: 'merge', merge, inputs: shapes.length } : undefined;
  if (shapes.length !== 1) return undefined;
  if (layer.className === 'BatchNormalization') {
    const axis = config['axis'];
    const last = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : undefined) : axis;
    return last === -1 || last === sizes.length ? { ...base, op: 'batch-norm' } : undefined;
  }
  const activation = activationOf(layer);
  if (activation !== undefined) return { ...base, op: 'activation', activation };
  if (sizes.length !== 3) return undefined;
  if (layer.className === 'ZeroPadding2D') {
    const pads = padsOf(config['padding']);
    return pads === undefined ? undefined : { ...base, op: 'zero-pad', pads };
  }
  const pool = POOL_OF_CLASS[layer.className as keyof typeof POOL_OF_CLASS] as (typeof POOL_OF_CLASS)[keyof typeof POOL_OF_CLASS] | undefined;
  if (pool === 'global-avg-pool' || pool === 'global-max-pool') return { ...base, op: pool };
  if (pool !== undefined) {
    const kernel = pair(config['poolSize']);
    const stride = config['strides'] === undefined || config['strides'] === null ? kernel : pair(config['strides']);
    const padding = config['padding'] ?? 'valid';
    if (kernel === undefined || stride === undefined || (padding !== 'same' && padding !== 'valid')) return undefined;
    return { ...base, op: pool, kernel, stride, padding };
  }
  return undefined;
}
