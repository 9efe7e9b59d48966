import * as tf from '@tensorflow/tfjs';
import { inputError, type MetricProvider, type TaskDefinition } from '@whittle/kernel';
import { FrechetFeatureExtractor } from '@whittle/metrics';
import { defaultSchedule, DIFFUSION_DEFAULTS } from '../diffusion/diffusion-defaults.js';
import { measureSampleQuality, type SampleQuality } from './sample-quality.js';
import { samplingMs, unetLatencyMs } from './unet-latency.js';

/** Samples per class of the sampling metrics (200 samples for 10 classes). */
export const METRIC_SAMPLES_PER_CLASS = 20;

/** A cheap fingerprint of a model's weights, so a model trained in place is measured again. */
function fingerprint(model: tf.LayersModel): number {
  return tf.tidy(() => tf.addN(model.getWeights().map((w) => tf.sum(tf.abs(w)))).dataSync()[0] as number);
}

const cache = new WeakMap<tf.LayersModel, { key: string; quality: SampleQuality }>();

/** Sample quality of `model` on `reference`, measured once per model, weights and reference (class accuracy and Fréchet share the samples). */
async function qualityOf(model: tf.LayersModel, reference: tf.Tensor): Promise<SampleQuality> {
  if (reference.rank !== 4) throw inputError('SD_METRIC_BAD_DATA', `sampling metrics need reference images [n, h, w, c], got ${JSON.stringify(reference.shape)}`, 'Use the fashion-mnist-diffusion data provider.');
  const key = `${fingerprint(model)}|${reference.id}`;
  const cached = cache.get(model);
  if (cached?.key === key) return cached.quality;
  const extractor = await FrechetFeatureExtractor.load();
  try {
    const quality = measureSampleQuality(model, defaultSchedule(), extractor, reference as tf.Tensor4D, { perClass: METRIC_SAMPLES_PER_CLASS, steps: DIFFUSION_DEFAULTS.ddimSteps, seed: DIFFUSION_DEFAULTS.sampleSeed });
    cache.set(model, { key, quality });
    return quality;
  } finally {
    extractor.dispose();
  }
}

function referenceOf(who: string, data: { readonly x: tf.Tensor } | undefined): tf.Tensor {
  if (data === undefined) throw inputError('DATA_MISSING', `metric "${who}" is measured against data, but none was given`, 'Add a "data" block (fashion-mnist-diffusion) to the pipeline.');
  return data.x;
}

/** `sd-class-accuracy`: fraction of 20 DDIM samples per class (20 steps, seed 1) that the Fashion-MNIST classifier assigns to their class. */
export const sdClassAccuracyMetric: MetricProvider = {
  name: 'sd-class-accuracy', description: 'Class accuracy of 20 DDIM samples per class (20 steps, seed 1) under the Fashion-MNIST classifier of @whittle/metrics.', needsData: true, better: 'higher',
  measure: async (model, { data }) => (await qualityOf(model, referenceOf('sd-class-accuracy', data))).classAccuracy,
};

/** `sd-frechet`: Fréchet distance between the classifier features of those samples and of the evaluation images (not FID: a small-scale analogue). */
export const sdFrechetMetric: MetricProvider = {
  name: 'sd-frechet', description: 'Fréchet distance of the classifier features: the samples of sd-class-accuracy vs the evaluation images.', needsData: true, better: 'lower',
  measure: async (model, { data }) => (await qualityOf(model, referenceOf('sd-frechet', data))).frechet,
};

/** `sd-unet-latency-b1` / `-b16`: median ms of one U-Net call at batch 1 / 16 (20 runs after 2 warm-ups). */
export const sdUnetLatencyB1Metric: MetricProvider = {
  name: 'sd-unet-latency-b1', description: 'Median ms of one U-Net call at batch 1 (20 runs).', needsData: false, better: 'lower',
  measure: (model) => unetLatencyMs(model, 1, { runs: 20 }),
};
export const sdUnetLatencyB16Metric: MetricProvider = {
  name: 'sd-unet-latency-b16', description: 'Median ms of one U-Net call at batch 16 (10 runs).', needsData: false, better: 'lower',
  measure: (model) => unetLatencyMs(model, 16, { runs: 10 }),
};

/** `sd-sampling-ms`: median ms to sample one image with 20 DDIM steps, end to end (3 runs). */
export const sdSamplingMsMetric: MetricProvider = {
  name: 'sd-sampling-ms', description: 'Median ms to sample one image end to end with 20 DDIM steps (3 runs).', needsData: false, better: 'lower',
  measure: (model) => samplingMs(model, defaultSchedule(), { steps: DIFFUSION_DEFAULTS.ddimSteps, batch: 1, runs: 3 }),
};

/** The sampling metrics of the package (a manifest's `metrics`). */
export const diffusionMetricProviders: readonly MetricProvider[] = [sdClassAccuracyMetric, sdFrechetMetric, sdUnetLatencyB1Metric, sdUnetLatencyB16Metric, sdSamplingMsMetric];

/**
 * `class-conditional-diffusion`: x₀ images in [−1, 1] and one-hot class conditions; the model is an
 * ε-prediction U-Net (inputs image, timestep, class). Each model summary measures the class
 * accuracy and Fréchet distance of its samples and its batch-1 U-Net latency.
 */
export const classConditionalDiffusionTask: TaskDefinition = {
  name: 'class-conditional-diffusion',
  description: 'x images in [−1, 1], y one-hot classes; an ε-prediction U-Net measured by the class accuracy and Fréchet distance of its DDIM samples.',
  metrics: ['sd-class-accuracy', 'sd-frechet', 'sd-unet-latency-b1'],
};
