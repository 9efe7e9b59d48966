import type { ChannelRule } from '../../channels/channel-rules.js';
import { numberListField, stringField } from '../../topology/keras-json.js';
import type { ActivationKind, LatencyCall, LatencyInputs, LayerOperation } from '../layer-operation.js';
import { pair, passthroughGeometry } from './call-geometry.js';
import { touchesChannelAxis } from './channelwise-operations.js';
import type { OnnxLowering } from '../onnx-lowering.js';
import {
  activationLowering, croppingLowering, eluLowering, globalPoolLowering, identityLowering, leakyReluLowering, poolLowering, reluLowering, rescalingLowering,
  softmaxLowering, thresholdedReluLowering, upSamplingLowering, zeroPaddingLowering,
} from './onnx/passthrough-lowerings.js';
import { permuteLowering } from './onnx/reshape-lowerings.js';

/** Model inputs, nested models, and layers whose channels pass through (activations, pooling, padding, dropout …). */

const PASSTHROUGH: ChannelRule = { kind: 'passthrough' };

/** `Activation` identifiers (Keras JSON) → what the layer runs. `linear` runs nothing; `softmax` mixes channels. */
const ACTIVATION_OF_IDENTIFIER: Readonly<Record<string, ActivationKind>> = {
  relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', hard_sigmoid: 'hard-sigmoid', tanh: 'tanh',
  softplus: 'softplus', softsign: 'softsign', swish: 'swish', mish: 'mish', gelu: 'gelu', gelu_new: 'gelu-new',
};

/** An activation's latency: one input of one known shape. */
function activationLatency(kind: (call: LatencyCall) => ActivationKind | undefined) {
  return (call: LatencyCall): LatencyInputs | undefined => {
    const found = passthroughGeometry(call);
    const activation = kind(call);
    return found === undefined || call.inputShapes.length !== 1 || activation === undefined ? undefined : { ...found.geometry, op: 'activation', activation };
  };
}

/** A 2-D image passthrough's latency (pooling, padding): one input, [h, w, c]. */
function imageLatency(describe: (call: LatencyCall, geometry: NonNullable<ReturnType<typeof passthroughGeometry>>['geometry']) => LatencyInputs | undefined) {
  return (call: LatencyCall): LatencyInputs | undefined => {
    const found = passthroughGeometry(call);
    if (found === undefined || call.inputShapes.length !== 1 || found.sizes.length !== 3) return undefined;
    return describe(call, found.geometry);
  };
}

function passthrough(className: string, extra: Omit<LayerOperation, 'className' | 'channelRule'> = {}): LayerOperation {
  return { className, channelRule: () => PASSTHROUGH, ...extra };
}

function window(op: 'max-pool' | 'avg-pool') {
  return imageLatency((call, geometry) => {
    const kernel = pair(call.config['pool_size']);
    const strides = call.config['strides'];
    const stride = strides === undefined || strides === null ? kernel : pair(strides);
    const padding = call.config['padding'] ?? 'valid';
    if (kernel === undefined || stride === undefined || (padding !== 'same' && padding !== 'valid')) return undefined;
    return { ...geometry, op, kernel, stride, padding };
  });
}

/** ZeroPadding2D `padding`: n, [rows, cols] or [[top, bottom], [left, right]]. */
function padsOf(value: LatencyCall['config'][string] | undefined): readonly [number, number, number, number] | undefined {
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

const PLAIN = [
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
  'MaxPooling1D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling3D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D',
  'Cropping2D', 'UpSampling2D', 'RepeatVector', 'Rescaling', 'Resizing', 'CenterCrop',
];

/** The ONNX lowerings of the PLAIN classes that have one (inference-time no-ops lower to their input). */
const PLAIN_LOWERINGS: Readonly<Record<string, OnnxLowering>> = {
  Dropout: identityLowering, SpatialDropout1D: identityLowering, SpatialDropout2D: identityLowering, GaussianNoise: identityLowering,
  GaussianDropout: identityLowering, AlphaDropout: identityLowering, Cropping2D: croppingLowering, UpSampling2D: upSamplingLowering, Rescaling: rescalingLowering,
};

const inputLayer: LayerOperation = { className: 'InputLayer', channelRule: () => ({ kind: 'input' }) };

function nestedModel(className: string): LayerOperation {
  return { className, channelRule: (node) => ({ kind: 'opaque', reason: `layer "${node.layer}" is a nested model; pruning does not look inside nested models` }) };
}

/** Softmax-like layers over an axis list: they mix the channels when the list holds the channel axis. */
function normalisesOver(className: string, onnx?: OnnxLowering): LayerOperation {
  return {
    className,
    ...(onnx === undefined ? {} : { onnx }),
    channelRule: (node, config) =>
      touchesChannelAxis(config, 'axis', node.inputShapes[0]?.length ?? 0)
        ? { kind: 'coupling', reason: `layer "${node.layer}" (${className}) normalises over the channels` }
        : PASSTHROUGH,
  };
}

export const PASSTHROUGH_OPERATIONS: readonly LayerOperation[] = [
  inputLayer,
  nestedModel('Model'),
  nestedModel('Functional'),
  nestedModel('Sequential'),
  ...PLAIN.map((className) => {
    const onnx = PLAIN_LOWERINGS[className];
    return passthrough(className, onnx === undefined ? {} : { onnx });
  }),
  passthrough('ReLU', { onnx: reluLowering, latency: activationLatency((call) => (call.config['max_value'] === undefined || call.config['max_value'] === null ? 'relu' : 'relu-max')) }),
  passthrough('LeakyReLU', { onnx: leakyReluLowering, latency: activationLatency(() => 'leaky-relu') }),
  passthrough('ELU', { onnx: eluLowering, latency: activationLatency(() => 'elu') }),
  passthrough('ThresholdedReLU', { onnx: thresholdedReluLowering, latency: activationLatency(() => 'thresholded-relu') }),
  {
    className: 'Activation',
    onnx: activationLowering,
    channelRule: (node, config) =>
      stringField(config, 'activation') === 'softmax' ? { kind: 'coupling', reason: `layer "${node.layer}" (Activation softmax) normalises over the channels` } : PASSTHROUGH,
    latency: activationLatency((call) => {
      const id = call.config['activation'];
      return typeof id === 'string' ? ACTIVATION_OF_IDENTIFIER[id] : undefined;
    }),
  },
  normalisesOver('Softmax', softmaxLowering),
  { className: 'Masking', channelRule: (node) => ({ kind: 'coupling', reason: `layer "${node.layer}" (Masking) reads all channels of a position at once` }) },
  {
    className: 'Permute',
    onnx: permuteLowering,
    channelRule(node, config) {
      const rank = node.inputShapes[0]?.length ?? 0;
      const dims = numberListField(config, 'dims') ?? [];
      return dims[dims.length - 1] === rank - 1 ? PASSTHROUGH : { kind: 'opaque', reason: `layer "${node.layer}" (Permute) moves the channel axis` };
    },
  },
  passthrough('MaxPooling2D', { onnx: poolLowering('MaxPool'), latency: window('max-pool') }),
  passthrough('AveragePooling2D', { onnx: poolLowering('AveragePool'), latency: window('avg-pool') }),
  passthrough('GlobalAveragePooling2D', { onnx: globalPoolLowering('GlobalAveragePool'), latency: imageLatency((_call, geometry) => ({ ...geometry, op: 'global-avg-pool' })) }),
  passthrough('GlobalMaxPooling2D', { onnx: globalPoolLowering('GlobalMaxPool'), latency: imageLatency((_call, geometry) => ({ ...geometry, op: 'global-max-pool' })) }),
  passthrough('ZeroPadding2D', {
    onnx: zeroPaddingLowering,
    latency: imageLatency((call, geometry) => {
      const pads = padsOf(call.config['padding']);
      return pads === undefined ? undefined : { ...geometry, op: 'zero-pad', pads };
    }),
  }),
];
