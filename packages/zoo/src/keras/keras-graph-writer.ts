import type * as tf from '@tensorflow/tfjs';
import type { KerasDialect } from './keras-dialect.js';

/** A symbolic tensor while writing: the producing layer and its concrete [h, w, c] (batch left out). */
export interface KerasTensorRef {
  readonly layer: string;
  readonly shape: readonly number[];
}

/** One entry of `model_config.config.layers`, as Keras serialises it. */
export interface KerasLayerJson {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly name: string;
  readonly inbound_nodes: unknown[];
}

type Padding = 'same' | 'valid';
type Pair = readonly [number, number];

const pair = (v: number | Pair): Pair => (typeof v === 'number' ? [v, v] : v);
const outSide = (n: number, k: number, s: number, padding: Padding): number =>
  padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;

/**
 * Writes a Keras functional-model config layer by layer, the way `model.to_json()` does for one Keras
 * dialect, and collects the weight specs (name, shape) the converter would put in the manifest. Shapes
 * are tracked so every weight shape is exact.
 *
 * ```ts
 * const g = new KerasGraphWriter(KERAS_2_4_0);
 * const x = g.input('input_1', [32, 32, 3]);
 * const y = g.dense('predictions', g.globalAveragePooling2d('avg_pool', g.conv2d('conv', x, { filters: 8, kernel: 3 })), 10, 'softmax');
 * g.modelTopology('tiny', [x], [y]);
 * ```
 */
export class KerasGraphWriter {
  readonly layers: KerasLayerJson[] = [];
  readonly weightSpecs: tf.io.WeightsManifestEntry[] = [];
  private readonly names = new Set<string>();

  constructor(readonly dialect: KerasDialect) {}

  input(name: string, shape: readonly [number, number, number]): KerasTensorRef {
    const config: Record<string, unknown> = { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false };
    if (this.dialect.hasGroupsAndRagged) config['ragged'] = false;
    config['name'] = name;
    return this.push('InputLayer', name, config, [], shape);
  }

  zeroPadding2d(name: string, x: KerasTensorRef, padding: readonly [Pair, Pair]): KerasTensorRef {
    const [h, w, c] = hwc(x);
    const shape = [h + padding[0][0] + padding[0][1], w + padding[1][0] + padding[1][1], c];
    return this.push('ZeroPadding2D', name, { ...this.base(name), padding, data_format: 'channels_last' }, [x], shape);
  }

  conv2d(name: string, x: KerasTensorRef, o: { filters: number; kernel: number | Pair; strides?: number | Pair; padding?: Padding; useBias?: boolean; activation?: string }): KerasTensorRef {
    const [kh, kw] = pair(o.kernel);
    const [sh, sw] = pair(o.strides ?? 1);
    const padding = o.padding ?? 'valid';
    const useBias = o.useBias ?? true;
    const [h, w, c] = hwc(x);
    const config: Record<string, unknown> = {
      ...this.base(name), filters: o.filters, kernel_size: [kh, kw], strides: [sh, sw], padding,
      data_format: 'channels_last', dilation_rate: [1, 1],
    };
    if (this.dialect.hasGroupsAndRagged) config['groups'] = 1;
    Object.assign(config, {
      activation: o.activation ?? 'linear', use_bias: useBias,
      kernel_initializer: this.initializer('GlorotUniform', { seed: null }), bias_initializer: this.initializer('Zeros', {}),
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    });
    this.weight(`${name}/kernel`, [kh, kw, c, o.filters]);
    if (useBias) this.weight(`${name}/bias`, [o.filters]);
    return this.push('Conv2D', name, config, [x], [outSide(h, kh, sh, padding), outSide(w, kw, sw, padding), o.filters]);
  }

  depthwiseConv2d(name: string, x: KerasTensorRef, o: { kernel: number; strides: number; padding: Padding }): KerasTensorRef {
    const [h, w, c] = hwc(x);
    const config = {
      ...this.base(name), kernel_size: [o.kernel, o.kernel], strides: [o.strides, o.strides], padding: o.padding,
      data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: false,
      bias_initializer: this.initializer('Zeros', {}), bias_regularizer: null, activity_regularizer: null, bias_constraint: null,
      depth_multiplier: 1, depthwise_initializer: this.initializer('GlorotUniform', { seed: null }),
      depthwise_regularizer: null, depthwise_constraint: null,
    };
    this.weight(`${name}/depthwise_kernel`, [o.kernel, o.kernel, c, 1]);
    return this.push('DepthwiseConv2D', name, config, [x],
      [outSide(h, o.kernel, o.strides, o.padding), outSide(w, o.kernel, o.strides, o.padding), c]);
  }

  batchNormalization(name: string, x: KerasTensorRef, o: { momentum: number; epsilon: number; scale: boolean }): KerasTensorRef {
    const c = hwc(x)[2];
    const config = {
      ...this.base(name), axis: this.dialect.batchNormAxis, momentum: o.momentum, epsilon: o.epsilon, center: true, scale: o.scale,
      beta_initializer: this.initializer('Zeros', {}), gamma_initializer: this.initializer('Ones', {}),
      moving_mean_initializer: this.initializer('Zeros', {}), moving_variance_initializer: this.initializer('Ones', {}),
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    };
    // Keras' weight order: gamma (if scale), beta, moving_mean, moving_variance.
    if (o.scale) this.weight(`${name}/gamma`, [c]);
    for (const w of ['beta', 'moving_mean', 'moving_variance']) this.weight(`${name}/${w}`, [c]);
    return this.push('BatchNormalization', name, config, [x], x.shape);
  }

  reLU(name: string, x: KerasTensorRef, maxValue: number): KerasTensorRef {
    return this.push('ReLU', name, { ...this.base(name), max_value: maxValue, negative_slope: 0, threshold: 0 }, [x], x.shape);
  }

  activation(name: string, x: KerasTensorRef, activation: string): KerasTensorRef {
    return this.push('Activation', name, { ...this.base(name), activation }, [x], x.shape);
  }

  pooling2d(kind: 'MaxPooling2D' | 'AveragePooling2D', name: string, x: KerasTensorRef, o: { pool: number; strides: number; padding: Padding }): KerasTensorRef {
    const [h, w, c] = hwc(x);
    const config = { ...this.base(name), pool_size: [o.pool, o.pool], padding: o.padding, strides: [o.strides, o.strides], data_format: 'channels_last' };
    return this.push(kind, name, config, [x], [outSide(h, o.pool, o.strides, o.padding), outSide(w, o.pool, o.strides, o.padding), c]);
  }

  add(name: string, xs: readonly KerasTensorRef[]): KerasTensorRef {
    return this.push('Add', name, this.base(name), xs, (xs[0] as KerasTensorRef).shape);
  }

  concatenate(name: string, xs: readonly KerasTensorRef[], axis: number): KerasTensorRef {
    const [h, w] = hwc(xs[0] as KerasTensorRef);
    const c = xs.reduce((sum, x) => sum + hwc(x)[2], 0);
    return this.push('Concatenate', name, { ...this.base(name), axis }, xs, [h, w, c]);
  }

  globalAveragePooling2d(name: string, x: KerasTensorRef): KerasTensorRef {
    return this.push('GlobalAveragePooling2D', name, { ...this.base(name), data_format: 'channels_last' }, [x], [hwc(x)[2]]);
  }

  dense(name: string, x: KerasTensorRef, units: number, activation: string): KerasTensorRef {
    const config = {
      ...this.base(name), units, activation, use_bias: true,
      kernel_initializer: this.initializer('GlorotUniform', { seed: null }), bias_initializer: this.initializer('Zeros', {}),
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    };
    this.weight(`${name}/kernel`, [x.shape[x.shape.length - 1] as number, units]);
    this.weight(`${name}/bias`, [units]);
    return this.push('Dense', name, config, [x], [units]);
  }

  /** The `modelTopology` object of model.json. */
  modelTopology(modelName: string, inputs: readonly KerasTensorRef[], outputs: readonly KerasTensorRef[]): Record<string, unknown> {
    return {
      keras_version: this.dialect.kerasVersion,
      backend: 'tensorflow',
      model_config: {
        class_name: this.dialect.modelClassName,
        config: {
          name: modelName,
          layers: this.layers,
          input_layers: inputs.map((x) => [x.layer, 0, 0]),
          output_layers: outputs.map((x) => [x.layer, 0, 0]),
        },
      },
    };
  }

  private base(name: string): Record<string, unknown> {
    return { name, trainable: true, dtype: 'float32' };
  }

  private initializer(className: string, config: Record<string, unknown>): Record<string, unknown> {
    return { class_name: className, config: this.dialect.initializerDtype ? { ...config, dtype: 'float32' } : config };
  }

  private weight(name: string, shape: number[]): void {
    this.weightSpecs.push({ name, shape, dtype: 'float32' });
  }

  private push(className: string, name: string, config: Record<string, unknown>, inputs: readonly KerasTensorRef[], shape: readonly number[]): KerasTensorRef {
    if (this.names.has(name)) throw new Error(`KerasGraphWriter: duplicate layer name "${name}"`);
    if (shape.some((d) => !(d > 0))) throw new Error(`KerasGraphWriter: layer "${name}" has empty output shape [${shape.join(', ')}]`);
    this.names.add(name);
    const inboundNodes = inputs.length === 0 ? [] : [inputs.map((x) => [x.layer, 0, 0, {}])];
    this.layers.push({ class_name: className, config, name, inbound_nodes: inboundNodes });
    return { layer: name, shape };
  }
}

function hwc(x: KerasTensorRef): [number, number, number] {
  if (x.shape.length !== 3) throw new Error(`KerasGraphWriter: layer "${x.layer}" output is not [h, w, c]`);
  return x.shape as [number, number, number];
}
