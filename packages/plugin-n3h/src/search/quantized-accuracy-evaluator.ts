import type * as tf from '@tensorflow/tfjs';
import type { Examples, SeededRng } from '@whittle/kernel';
import { N3hQuantizer } from '../quantize/n3h-quantizer.js';
import { accuracyOf, qatFineTune, type QatOptions } from '../quantize/qat-fine-tune.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import type { CandidateDesign } from './candidate-design.js';
import type { EpisodeEvaluator, EpisodeScore } from './episode-evaluator.js';

export interface QuantizedAccuracyOptions {
  /** Inputs the activation ranges are calibrated on (once, on the float model). */
  readonly calibration: tf.Tensor;
  /** The search subset to fine-tune on. */
  readonly train: Examples;
  /** The search subset accuracy is measured on. */
  readonly validation: Examples;
  /** The short fine-tune of every episode (N3H: 1 epoch on its search subset; set `maxSteps` for fewer); undefined: none (post-training accuracy). */
  readonly fineTune?: QatOptions;
}

/**
 * The in-process `EpisodeEvaluator`: quantizes the model to the design (`N3hQuantizer`: LUT channels
 * at the layer's bits, DSP channels at 8, activations fake-quantized with calibrated ranges), runs the
 * short QAT fine-tune and measures validation accuracy. Every episode starts from the float weights and
 * fine-tunes on the same batches (one fixed seed), so two designs differ only by their policy.
 *
 * ```ts
 * const evaluator = await QuantizedAccuracyEvaluator.create(model, gemms, { calibration, train, validation, fineTune: { epochs: 1, batchSize: 64, learningRate: 5e-4, maxSteps: 8 } }, rng);
 * ```
 */
export class QuantizedAccuracyEvaluator implements EpisodeEvaluator {
  private base: number | undefined;

  private constructor(
    private readonly source: tf.LayersModel,
    private readonly quantizer: N3hQuantizer,
    private readonly options: QuantizedAccuracyOptions,
    private readonly rng: SeededRng,
  ) {}

  static async create(model: tf.LayersModel, gemms: readonly GemmLayer[], options: QuantizedAccuracyOptions, rng: SeededRng): Promise<QuantizedAccuracyEvaluator> {
    const quantizer = await N3hQuantizer.prepare(model, gemms, options.calibration);
    return new QuantizedAccuracyEvaluator(model, quantizer, options, rng);
  }

  async baseAccuracy(): Promise<number> {
    this.base ??= await accuracyOf(this.source, this.options.validation);
    return this.base;
  }

  async evaluate(design: CandidateDesign): Promise<EpisodeScore> {
    const layers = this.quantizer.quantize(design.layers.map((l) => ({ layer: l.layer, weightBits: l.weightBits, activationBits: l.activationBits, ratio: l.ratio, lutChannels: l.lutChannels })));
    const fineTune = this.options.fineTune;
    const fit = fineTune === undefined
      ? { steps: 0, finalLoss: NaN }
      : await qatFineTune(this.quantizer.model, layers.map((l) => ({ layer: l.layer, channelBits: l.channelBits })), this.options.train, fineTune, this.rng.fork('episode-fine-tune'));
    const accuracy = await accuracyOf(this.quantizer.model, this.options.validation);
    return { accuracy, figures: { fineTuneSteps: fit.steps, fineTuneLoss: fit.finalLoss } };
  }

  dispose(): void {
    this.quantizer.dispose();
  }
}
