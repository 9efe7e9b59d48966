import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { featureGaussian, frechetDistance, type FeatureGaussian } from './frechet-distance.js';
import { metricsAssetPath } from './metrics-assets.js';

/** The committed classifier's folder under `assets/` (see assets/fashion-mnist-classifier/README.md). */
export const FRECHET_CLASSIFIER_ASSET = 'fashion-mnist-classifier';
/** The layer whose output is the feature vector: the classifier's global average pool. */
export const FRECHET_FEATURE_LAYER = 'gap';
/** The image size the classifier was trained on: Fashion-MNIST padded to 32×32, one channel, pixels in [0, 1]. */
export const FRECHET_CLASSIFIER_INPUT = [32, 32, 1] as const;

/**
 * Features of a small Fashion-MNIST classifier (committed with the command that trained it) for a
 * Fréchet distance between image sets: a small-scale analogue of FID (FID uses Inception-v3 on
 * ImageNet; these numbers are not comparable with FID). Images [n, h, w, c] in [0, 1] are converted
 * to grayscale (channel mean) and resized bilinearly to 32×32 when they differ.
 *
 * ```ts
 * const extractor = await FrechetFeatureExtractor.load();
 * const d = extractor.distance(generated, targets);
 * extractor.dispose();
 * ```
 */
export class FrechetFeatureExtractor {
  private constructor(private readonly classifier: tf.LayersModel, private readonly features: tf.LayersModel) {}

  /** Loads the committed classifier (or another one with a `gap` layer, from `modelJsonPath`). */
  static async load(modelJsonPath = metricsAssetPath(FRECHET_CLASSIFIER_ASSET, 'model.json')): Promise<FrechetFeatureExtractor> {
    // Model files are read from disk: imported here so that a browser bundle of this package (which
    // never calls load) does not need model-io's Node entry.
    const { loadModel } = await import('@whittle/model-io');
    const classifier = await loadModel(modelJsonPath);
    const layer = classifier.layers.find((l) => l.name === FRECHET_FEATURE_LAYER);
    if (layer === undefined) {
      classifier.dispose();
      throw inputError('FRECHET_NO_FEATURE_LAYER', `${modelJsonPath}: the classifier has no layer "${FRECHET_FEATURE_LAYER}" to take features from`, 'Use the committed Fashion-MNIST classifier or one built by the zoo\'s small-cnn.');
    }
    const features = tf.model({ inputs: classifier.inputs, outputs: layer.output as tf.SymbolicTensor });
    return new FrechetFeatureExtractor(classifier, features);
  }

  /** Feature dimension (the classifier's pooled channels). */
  get dims(): number {
    return this.features.outputs[0]!.shape[1] as number;
  }

  /** Feature rows of `images` (n × dims, row-major), `batchSize` images at a time. */
  featuresOf(images: tf.Tensor4D, batchSize = 256): Float32Array {
    const n = images.shape[0];
    const out = new Float32Array(n * this.dims);
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const f = tf.tidy(() => this.features.predict(toClassifierInput(images.slice(start, size))) as tf.Tensor);
      out.set(f.dataSync(), start * this.dims);
      f.dispose();
    }
    return out;
  }

  /**
   * The feature tensor [n, dims] of `images` (same conversion as `featuresOf`), differentiable with
   * respect to `images`: for losses on the classifier's features (e.g. semantic-level distillation).
   * The caller disposes it (or calls it inside `tf.tidy` / a gradient function).
   */
  featureTensor(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.features.apply(toClassifierInput(images)) as tf.Tensor2D);
  }

  /** The classifier's predicted class of each of `images` ([n, h, w, c] in [0, 1]), `batchSize` at a time. */
  classify(images: tf.Tensor4D, batchSize = 256): Int32Array {
    const n = images.shape[0];
    const out = new Int32Array(n);
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const classes = tf.tidy(() => tf.argMax(this.classifier.predict(toClassifierInput(images.slice(start, size))) as tf.Tensor, -1));
      out.set(classes.dataSync(), start);
      classes.dispose();
    }
    return out;
  }

  /** The Gaussian of `images`' features. */
  gaussianOf(images: tf.Tensor4D): FeatureGaussian {
    return featureGaussian(this.featuresOf(images), this.dims);
  }

  /** Fréchet distance between the feature Gaussians of two image sets. */
  distance(a: tf.Tensor4D, b: tf.Tensor4D): number {
    return frechetDistance(this.gaussianOf(a), this.gaussianOf(b));
  }

  dispose(): void {
    this.classifier.dispose();
  }
}

function toClassifierInput(images: tf.Tensor4D): tf.Tensor4D {
  if (images.rank !== 4) throw inputError('FRECHET_BAD_IMAGES', `frechet: expects images [n, h, w, c], got ${JSON.stringify(images.shape)}`, 'Pass NHWC images in [0, 1].');
  let x = images.shape[3] === 1 ? images : images.mean(3, true) as tf.Tensor4D;
  const [h, w] = FRECHET_CLASSIFIER_INPUT;
  if (x.shape[1] !== h || x.shape[2] !== w) x = tf.image.resizeBilinear(x, [h, w]);
  return x;
}
