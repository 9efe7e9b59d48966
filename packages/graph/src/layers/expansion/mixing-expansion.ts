import * as tf from '@tensorflow/tfjs';
import { cloneJson, numberField, stringField, type JsonValue, type LayerConfigJson } from '../../topology/keras-json.js';
import type { ExpansionPlan, LinearExpansion, LinearPart } from './linear-expansion.js';

/** What differs between the classes that expand as "head, then channel-mixing layers". */
interface MixingSpec {
  /** Config key of the output count. */
  readonly countKey: 'filters' | 'units';
  /** Short name of the head's weight whose last axis is the outputs (the one the mixers multiply). */
  readonly mixedKernel: string;
  /** Class of the mixing layers: a 1×1 Conv2D or a Dense. */
  readonly mixerClass: 'Conv2D' | 'Dense';
  /** Extra refusals of this class (grouped convolutions, …). */
  readonly refusal?: (config: Readonly<LayerConfigJson>) => string | undefined;
}

/** A mixing layer's config: a 1×1 stride-1 Conv2D (the original's data format) or a Dense, no regulariser of its own. */
function mixerConfig(spec: MixingSpec, original: Readonly<LayerConfigJson>, name: string, outputs: number, activation: JsonValue, activityRegularizer: JsonValue): LayerConfigJson {
  const common: LayerConfigJson = {
    name,
    trainable: original['trainable'] ?? true,
    dtype: original['dtype'] ?? 'float32',
    activation,
    use_bias: original['use_bias'] ?? true,
    activity_regularizer: activityRegularizer,
  };
  if (spec.mixerClass === 'Dense') return { ...common, units: outputs };
  return { ...common, filters: outputs, kernel_size: [1, 1], strides: [1, 1], padding: 'valid', data_format: original['data_format'] ?? 'channels_last', dilation_rate: [1, 1] };
}

/** A mixing kernel `[in, out]` in the mixer class's layout (`[1, 1, in, out]` for a 1×1 conv). */
function asMixerKernel(spec: MixingSpec, matrix: tf.Tensor2D): tf.Tensor {
  return spec.mixerClass === 'Dense' ? matrix : matrix.reshape([1, 1, matrix.shape[0], matrix.shape[1]]);
}

/** A mixer's kernel as the `[in, out]` matrix it multiplies by. */
function mixerMatrix(part: LinearPart): tf.Tensor2D {
  const kernel = requireWeight(part, 'kernel');
  return kernel.reshape([-1, kernel.shape[kernel.shape.length - 1] as number]) as tf.Tensor2D;
}

function requireWeight(part: LinearPart, short: string): tf.Tensor {
  const weight = part.weights[short];
  if (weight === undefined) throw new Error(`linear merge: layer "${String(part.config['name'])}" (${part.className}) has no weight "${short}"`);
  return weight;
}

function usesBias(config: Readonly<LayerConfigJson>): boolean {
  return config['use_bias'] !== false;
}

/** Runs `build` in a tidy that frees its intermediates and keeps every weight of the parts it returns. */
function keptParts(build: () => LinearPart[]): LinearPart[] {
  let parts: LinearPart[] = [];
  tf.tidy(() => {
    parts = build();
    for (const part of parts) for (const weight of Object.values(part.weights)) tf.keep(weight);
  });
  return parts;
}

/** The expansion of a class whose head keeps its own class and whose channel mixing happens after it. */
export function mixingExpansion(spec: MixingSpec): LinearExpansion {
  const outputs = (config: Readonly<LayerConfigJson>): number => numberField(config, spec.countKey) ?? 0;
  return {
    outputs,
    refusal(config) {
      if (numberField(config, spec.countKey) === undefined) return `its config has no ${spec.countKey}`;
      return spec.refusal?.(config);
    },
    expand(layer, plan: ExpansionPlan, names) {
      const count = outputs(layer.config);
      const width = Math.max(count, plan.width);
      if (names.length !== plan.depth + 2) throw new Error(`linear expansion: ${plan.depth + 2} part names needed, ${names.length} given`);
      return keptParts(() => {
        const kernel = requireWeight(layer, spec.mixedKernel);
        const extra = width - count;
        const headWeights: Record<string, tf.Tensor> = {};
        for (const [short, weight] of Object.entries(layer.weights)) headWeights[short] = weight.clone();
        if (extra > 0) {
          const fanIn = kernel.size / count;
          const std = plan.initScale * Math.sqrt(2 / fanIn);
          const more = tf.randomNormal([...kernel.shape.slice(0, -1), extra], 0, std, 'float32', plan.seed);
          headWeights[spec.mixedKernel] = tf.concat([kernel, more], -1);
          if (usesBias(layer.config)) headWeights['bias'] = tf.concat([requireWeight(layer, 'bias'), tf.zeros([extra])]);
        }
        const headConfig = cloneJson(layer.config) as LayerConfigJson;
        headConfig['name'] = names[0] as string;
        headConfig[spec.countKey] = width;
        headConfig['activation'] = 'linear';
        if ('activity_regularizer' in headConfig) headConfig['activity_regularizer'] = null;
        const parts: LinearPart[] = [{ className: layer.className, config: headConfig, weights: headWeights }];
        for (let i = 1; i <= plan.depth; i++) {
          const weights: Record<string, tf.Tensor> = { kernel: asMixerKernel(spec, tf.eye(width) as tf.Tensor2D) };
          if (usesBias(layer.config)) weights['bias'] = tf.zeros([width]);
          parts.push({ className: spec.mixerClass, config: mixerConfig(spec, layer.config, names[i] as string, width, 'linear', null), weights });
        }
        const outWeights: Record<string, tf.Tensor> = { kernel: asMixerKernel(spec, tf.eye(width, count) as tf.Tensor2D) };
        if (usesBias(layer.config)) outWeights['bias'] = tf.zeros([count]);
        const activity = layer.config['activity_regularizer'] ?? null;
        parts.push({ className: spec.mixerClass, config: mixerConfig(spec, layer.config, names[plan.depth + 1] as string, count, layer.config['activation'] ?? 'linear', activity), weights: outWeights });
        return parts;
      });
    },
    merge(parts) {
      const head = parts[0];
      const out = parts[parts.length - 1];
      if (head === undefined || out === undefined || parts.length < 2) throw new Error('linear merge: a block has a head and an output layer');
      return keptParts(() => {
        const mixers = parts.slice(1);
        const bias = usesBias(head.config);
        // The product of every mixer, first to last: A = M_1 ⋯ M_d · B ([E, outputs]).
        let product = mixerMatrix(mixers[0] as LinearPart);
        for (const mixer of mixers.slice(1)) product = tf.matMul(product, mixerMatrix(mixer));
        const kernel = requireWeight(head, spec.mixedKernel);
        const width = kernel.shape[kernel.shape.length - 1] as number;
        const count = product.shape[1];
        const merged = tf.matMul(kernel.reshape([-1, width]), product).reshape([...kernel.shape.slice(0, -1), count]);
        const weights: Record<string, tf.Tensor> = {};
        for (const [short, weight] of Object.entries(head.weights)) weights[short] = short === spec.mixedKernel ? merged : weight.clone();
        if (bias) {
          let b = requireWeight(head, 'bias').reshape([1, width]) as tf.Tensor2D;
          for (const mixer of mixers) b = tf.add(tf.matMul(b, mixerMatrix(mixer)), requireWeight(mixer, 'bias')) as tf.Tensor2D;
          weights['bias'] = b.reshape([count]);
        }
        const config = cloneJson(head.config) as LayerConfigJson;
        config['name'] = out.config['name'] ?? null;
        config[spec.countKey] = count;
        config['activation'] = out.config['activation'] ?? 'linear';
        if ('activity_regularizer' in config || out.config['activity_regularizer'] !== null) config['activity_regularizer'] = out.config['activity_regularizer'] ?? null;
        return [{ className: head.className, config, weights }];
      })[0] as LinearPart;
    },
  };
}

/** Conv2D: k×k (any stride, padding, dilation, bias) → 1×1 mixers; grouped convolutions are refused. */
export const CONV2D_EXPANSION = mixingExpansion({
  countKey: 'filters',
  mixedKernel: 'kernel',
  mixerClass: 'Conv2D',
  refusal: (config) => ((numberField(config, 'groups') ?? 1) !== 1 ? 'it is a grouped convolution (a 1×1 after it would mix across groups)' : undefined),
});

/** Dense: Dense(E) → Dense mixers. */
export const DENSE_EXPANSION = mixingExpansion({ countKey: 'units', mixedKernel: 'kernel', mixerClass: 'Dense' });

/**
 * SeparableConv2D: its pointwise half expands (the depthwise kernel stays as it is, so the merged
 * layer is a SeparableConv2D again); the 1×1 mixers come after it.
 */
export const SEPARABLE_POINTWISE_EXPANSION = mixingExpansion({
  countKey: 'filters',
  mixedKernel: 'pointwise_kernel',
  mixerClass: 'Conv2D',
  refusal: (config) => (stringField(config, 'data_format') === 'channels_first' ? 'it is channels_first' : undefined),
});
