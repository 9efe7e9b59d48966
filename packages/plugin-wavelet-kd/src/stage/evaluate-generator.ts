import * as tf from '@tensorflow/tfjs';
import type { PairedImages } from '@whittle/kernel';
import { bandErrors, FrechetFeatureExtractor, meanSsim, predictAll, type FeatureGaussian, frechetDistance } from '@whittle/metrics';

/** Image quality of a generator on paired images: everything the WKD report compares. */
export interface GeneratorQuality {
  /** Fréchet distance between the features of the outputs and of the targets (committed Fashion-MNIST classifier; not FID). */
  readonly frechet: number;
  readonly l1: number;
  /** dB, peak 1, mean over images. */
  readonly psnr: number;
  readonly ssim: number;
  /** L1 of the coarsest Haar LL band to the target's. */
  readonly bandLowL1: number;
  /** L1 of the Haar detail bands (mean over levels of each level's LH/HL/HH mean) to the target's. */
  readonly bandHighL1: number;
}

/** Measures `GeneratorQuality`; reuses the targets' feature Gaussian from `targetGaussian` when given. */
export class GeneratorEvaluator {
  private targets: FeatureGaussian | undefined;

  constructor(private readonly split: PairedImages, private readonly extractor: FrechetFeatureExtractor, private readonly levels: number, private readonly batchSize = 128) {}

  /**
   * The quality of `generator`'s outputs (inference mode) against the split's targets.
   *
   * ```ts
   * const quality = new GeneratorEvaluator(splits.test!, await FrechetFeatureExtractor.load(), 3).measure(student);
   * ```
   */
  measure(generator: tf.LayersModel): GeneratorQuality {
    const outputs = predictAll(generator, this.split.x, this.batchSize);
    try {
      return this.measureImages(outputs);
    } finally {
      outputs.dispose();
    }
  }

  /** The same figures for given images (aligned with the split's targets). */
  measureImages(outputs: tf.Tensor4D): GeneratorQuality {
    const y = this.split.y;
    this.targets ??= this.extractor.gaussianOf(y);
    const [l1, mse] = tf.tidy(() => {
      const diff = outputs.sub(y);
      const perImageMse = diff.square().mean([1, 2, 3]);
      const psnr = tf.log(tf.div(1, tf.maximum(perImageMse, 1e-10))).mul(10 / Math.LN10).mean();
      return [diff.abs().mean(), psnr];
    });
    const bands = bandErrors(outputs, y, this.levels);
    const quality: GeneratorQuality = {
      frechet: frechetDistance(this.extractor.gaussianOf(outputs), this.targets),
      l1: l1!.dataSync()[0] ?? Number.NaN,
      psnr: mse!.dataSync()[0] ?? Number.NaN,
      ssim: meanSsim(outputs, y),
      bandLowL1: bands.ll,
      bandHighL1: bands.high,
    };
    tf.dispose([l1!, mse!]);
    return quality;
  }
}
