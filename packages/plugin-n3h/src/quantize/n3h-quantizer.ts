import * as tf from '@tensorflow/tfjs';
import { insertAfter } from '@whittle/graph';
import { inputError } from '@whittle/kernel';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { channelBits, lutChannelSet } from './channel-split.js';
import { N3hFakeQuant } from './fake-quant-layer.js';
import { quantizeKernel } from './fake-quantize.js';
import { klRange } from './kl-range.js';

/** One GEMM layer's quantization: LUT-core bits, split, and which output channels run on the LUT core. */
export interface LayerQuantization {
  readonly layer: string;
  readonly weightBits: number;
  readonly activationBits: number;
  readonly ratio: number;
  readonly lutChannels: readonly number[];
  /** Per output channel: `weightBits` on LUT channels, 8 on DSP channels. */
  readonly channelBits: readonly number[];
}

/** What to quantize a layer to: its bits and the number of output channels on the LUT core. */
export interface LayerQuantTarget {
  readonly layer: string;
  readonly weightBits: number;
  readonly activationBits: number;
  readonly ratio: number;
  readonly lutChannels: number;
}

/** Below this many activation bits the range is calibrated by KL divergence (as N3H does), else max|x|. */
const KL_BELOW_BITS = 5;
/** Calibration values per quantization point at most (a strided subsample beyond). */
const CALIBRATION_VALUES = 200_000;

function kernelOf(layer: tf.layers.Layer): tf.LayerVariable {
  const kernel = layer.weights.find((w) => /\/(depthwise_)?kernel$/.test(w.originalName) || /(depthwise_)?kernel$/.test(w.name));
  if (kernel === undefined) throw inputError('N3H_NO_KERNEL', `layer "${layer.name}" has no kernel weight to quantize`, 'Quantize Conv2D, DepthwiseConv2D and Dense layers.');
  return kernel;
}

/**
 * A copy of a model prepared for N3H mixed precision: an `N3hFakeQuant` after each tensor a GEMM
 * layer reads (not the image input, which is already 8-bit), the float weights kept, so that
 * `quantize` can set any policy again (a search's episodes) without rebuilding. A point read by several
 * GEMM layers runs at the largest of their activation bits. Owns its model: `dispose()`.
 *
 * ```ts
 * const q = await N3hQuantizer.prepare(model, modelGemms(model));
 * q.quantize(targets, calibrationImages); // q.model is now fake-quantized
 * ```
 */
export class N3hQuantizer {
  /** Activation ranges by point and bits, calibrated once on the float model. */
  private readonly ranges = new Map<string, number>();
  private readonly floatWeights: tf.Tensor[];

  private constructor(
    readonly model: tf.LayersModel,
    readonly gemms: readonly GemmLayer[],
    /** GEMM layer → the fake-quant point of its input (absent: reads the model input). */
    private readonly pointOf: ReadonlyMap<string, string>,
    private readonly calibrationSamples: ReadonlyMap<string, { values: Float32Array; signed: boolean }>,
  ) {
    this.floatWeights = model.getWeights().map((w) => w.clone());
  }

  /** Builds the copy; `calibration` (a batch of inputs) gives each point's activation statistics on the float model. */
  static async prepare(source: tf.LayersModel, gemms: readonly GemmLayer[], calibration: tf.Tensor): Promise<N3hQuantizer> {
    const producers = new Map<string, string>();
    for (const gemm of gemms) {
      const layer = source.getLayer(gemm.name.split('#')[0] as string);
      const inbound = layer.inboundNodes[0]?.inboundLayers[0];
      if (inbound === undefined || inbound.getClassName() === 'InputLayer') continue;
      producers.set(gemm.name, inbound.name);
    }
    const points = [...new Set(producers.values())];
    const samples = new Map<string, { values: Float32Array; signed: boolean }>();
    if (points.length > 0) {
      const probe = tf.model({ inputs: source.inputs, outputs: points.map((p) => source.getLayer(p).output as tf.SymbolicTensor) });
      const outputs = tf.tidy(() => [probe.predict(calibration)].flat() as tf.Tensor[]);
      try {
        for (const [i, point] of points.entries()) {
          const all = (await (outputs[i] as tf.Tensor).data()) as Float32Array;
          const stride = Math.max(1, Math.floor(all.length / CALIBRATION_VALUES));
          const values = stride === 1 ? all : all.filter((_, j) => j % stride === 0);
          let min = Infinity;
          for (const v of values) min = Math.min(min, v);
          samples.set(point, { values, signed: min < 0 });
        }
      } finally {
        tf.dispose(outputs);
      }
    }
    let model = source;
    const pointOf = new Map<string, string>();
    const pointName = new Map(points.map((p) => [p, `n3h_fq_${p}`]));
    try {
      for (const point of points) {
        const next = await insertAfter(model, point, { className: N3hFakeQuant.className, config: { bits: 0, range: 1, signed: false, name: pointName.get(point) } });
        if (model !== source) model.dispose();
        model = next;
      }
    } catch (error) {
      if (model !== source) model.dispose();
      throw error;
    }
    if (model === source) model = await insertNothing(source);
    for (const [gemm, producer] of producers) pointOf.set(gemm, pointName.get(producer) as string);
    const renamed = new Map([...samples].map(([p, s]) => [pointName.get(p) as string, s]));
    return new N3hQuantizer(model, gemms, pointOf, renamed);
  }

  /** Restores the float weights and turns every fake-quant point off. */
  reset(): void {
    this.model.setWeights(this.floatWeights);
    for (const layer of this.model.layers) if (layer instanceof N3hFakeQuant) layer.bits = 0;
  }

  /** The fake-quant point (layer name) in front of a GEMM layer, if it has one. */
  inputPoint(gemm: string): string | undefined {
    return this.pointOf.get(gemm);
  }

  /**
   * Quantizes the model (from its float weights) to `targets`: per GEMM layer, the LUT channels (lowest
   * error at its weight bits) at those bits and the rest at 8, and its input point at its activation bits.
   */
  quantize(targets: readonly LayerQuantTarget[]): LayerQuantization[] {
    this.reset();
    const pointBits = new Map<string, number>();
    const result = targets.map((target) => {
      const layer = this.model.getLayer(target.layer.split('#')[0] as string);
      const kernel = kernelOf(layer);
      const channels = kernel.shape[kernel.shape.length - 1] as number;
      const float = kernel.read();
      const lutChannels = lutChannelSet(float, Math.min(target.lutChannels, channels), target.weightBits);
      const bits = channelBits(channels, lutChannels, target.weightBits);
      const quantized = quantizeKernel(float, bits);
      kernel.write(quantized);
      quantized.dispose();
      const point = this.pointOf.get(target.layer);
      if (point !== undefined) pointBits.set(point, Math.max(pointBits.get(point) ?? 0, target.activationBits));
      return { layer: target.layer, weightBits: target.weightBits, activationBits: target.activationBits, ratio: target.ratio, lutChannels, channelBits: bits };
    });
    for (const [point, bits] of pointBits) {
      const layer = this.model.getLayer(point) as N3hFakeQuant;
      const sample = this.calibrationSamples.get(point);
      layer.bits = bits;
      layer.signed = sample?.signed ?? true;
      layer.range = this.rangeFor(point, bits);
    }
    return result;
  }

  private rangeFor(point: string, bits: number): number {
    const key = `${point}@${bits}`;
    const cached = this.ranges.get(key);
    if (cached !== undefined) return cached;
    const sample = this.calibrationSamples.get(point);
    let range = 1;
    if (sample !== undefined) {
      let maxAbs = 0;
      for (const v of sample.values) maxAbs = Math.max(maxAbs, Math.abs(v));
      range = bits < KL_BELOW_BITS ? klRange(sample.values, bits, sample.signed) : Math.max(maxAbs, 1e-6);
    }
    this.ranges.set(key, range);
    return range;
  }

  /** Hands the (quantized) model to the caller and frees the rest. */
  release(): tf.LayersModel {
    tf.dispose(this.floatWeights);
    return this.model;
  }

  dispose(): void {
    tf.dispose(this.floatWeights);
    this.model.dispose();
  }
}

/** A model with no point to insert is still copied, so that the quantizer always owns its model. */
async function insertNothing(source: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await tf.models.modelFromJSON({ modelTopology: source.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
  copy.setWeights(source.getWeights());
  return copy;
}
