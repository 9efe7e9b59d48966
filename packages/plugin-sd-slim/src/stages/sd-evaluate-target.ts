import * as tf from '@tensorflow/tfjs';
import { totalMacs, layerOperationsOf } from '@whittle/graph';
import { definePluginMeta, LAYER_OPERATIONS, tapStage, Type, withDefault, type Kernel, type LayerOperationRegistration, type Providers, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { FrechetFeatureExtractor } from '@whittle/metrics';
import { inject, injectable } from 'tsyringe';
import { defaultSchedule, DIFFUSION_DEFAULTS } from '../diffusion/diffusion-defaults.js';
import { measureSampleQuality } from '../metrics/sample-quality.js';
import { samplingMs, unetLatencyMs, unetShapes } from '../metrics/unet-latency.js';
import { classGridPng } from '../report/sample-grid.js';
import { sampleClasses } from '../sampling/class-samples.js';
import { diffusionImagesOf } from './stage-data.js';

/** Options of the `sd-evaluate` deploy target. */
export const SdEvaluateOptionsSchema = Type.Object({
  perClass: withDefault(Type.Integer({ minimum: 2, maximum: 1000, description: 'Samples per class for class accuracy and Fréchet distance.' }), 30),
  ddimSteps: withDefault(Type.Integer({ minimum: 1, maximum: 1000 }), DIFFUSION_DEFAULTS.ddimSteps),
  latencyRuns: withDefault(Type.Integer({ minimum: 1, maximum: 500 }), 20),
  gridPerClass: withDefault(Type.Integer({ minimum: 0, maximum: 32, description: 'Columns per panel of grid.png (teacher | model, one row per class, same x_T); 0: no picture.' }), 6),
  compareTeacher: withDefault(Type.Boolean({ description: 'Measure the pipeline\'s teacher too and report the ratios.' }), true),
}, { additionalProperties: false });

export type SdEvaluateOptions = StageOptions<typeof SdEvaluateOptionsSchema>;

/**
 * Deploy target `sd-evaluate`: the A-SDM figures of the run's model (and of its teacher, measured
 * in the same process, interleaved): U-Net latency at batch 1 and 16, end-to-end sampling time for
 * `ddimSteps` DDIM steps, params, MACs, Fréchet distance of `perClass` samples per class against the
 * test images, and their class accuracy under the Fashion-MNIST classifier. Writes
 * `evaluation.json` and `grid.png` (teacher | model, one row per class, same seeds).
 *
 * ```json
 * { "hook": "deploy", "target": "sd-evaluate", "options": { "perClass": 30 } }
 * ```
 */
@injectable()
export class SdEvaluateTarget implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'sd-evaluate',
    hook: 'deploy',
    description: 'Diffusion U-Net figures: latency b1/b16, DDIM sampling time, params, MACs, Fréchet distance and class accuracy of samples; teacher vs model sample grid.',
    requires: ['data'],
    optionsSchema: SdEvaluateOptionsSchema,
  });

  readonly name = SdEvaluateTarget.meta.name;

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, SdEvaluateTarget.meta, async (_result, call) => {
      const { options } = call;
      const model = call.ctx.model;
      const { evaluation } = diffusionImagesOf(call, model);
      const teacher = options.compareTeacher ? await call.ctx.teacher() : undefined;
      const schedule = defaultSchedule();
      const ops = layerOperationsOf(this.layers);
      const extractor = await FrechetFeatureExtractor.load();
      try {
        const measure = async (m: tf.LayersModel) => {
          const quality = measureSampleQuality(m, schedule, extractor, evaluation, { perClass: options.perClass, steps: options.ddimSteps, seed: DIFFUSION_DEFAULTS.sampleSeed });
          return {
            params: m.countParams(), macs: totalMacs(m, ops),
            latencyB1Ms: await unetLatencyMs(m, 1, { runs: options.latencyRuns }),
            latencyB16Ms: await unetLatencyMs(m, 16, { runs: Math.max(3, Math.round(options.latencyRuns / 2)) }),
            samplingMs: await samplingMs(m, schedule, { steps: options.ddimSteps, batch: 1, runs: 3 }),
            frechet: quality.frechet, classAccuracy: quality.classAccuracy,
          };
        };
        const figures = await measure(model);
        const metrics: Record<string, number> = { ...figures };
        if (teacher !== undefined) {
          const reference = await measure(teacher);
          for (const [key, value] of Object.entries(reference)) metrics[`teacher${key[0]!.toUpperCase()}${key.slice(1)}`] = value;
          metrics['unetSpeedupB1'] = reference.latencyB1Ms / figures.latencyB1Ms;
          metrics['samplingSpeedup'] = reference.samplingMs / figures.samplingMs;
        }
        const files = [await call.ctx.artifacts.writeFile('evaluation.json', `${JSON.stringify({ ...metrics, perClass: options.perClass, ddimSteps: options.ddimSteps }, null, 2)}\n`)];
        if (options.gridPerClass > 0) {
          const { image, classes } = unetShapes(model);
          const sample = (m: tf.LayersModel) => sampleClasses(m, schedule, image, { classes, perClass: options.gridPerClass, steps: options.ddimSteps, seed: 100 }).images;
          const panels = [...(teacher === undefined ? [] : [sample(teacher)]), sample(model)];
          try {
            files.push(await call.ctx.artifacts.writeFile('grid.png', await classGridPng(panels, classes)));
          } finally {
            tf.dispose(panels);
          }
        }
        call.ctx.logger.info(`  ${Object.entries(metrics).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}`);
        return { target: SdEvaluateTarget.meta.name, metrics, files, details: { gridPanels: teacher === undefined ? 'model' : 'teacher | model' } };
      } finally {
        extractor.dispose();
      }
    });
  }
}
