import { definePluginMeta, tapStage, Type, withDefault, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { FrechetFeatureExtractor } from '@whittle/metrics';
import { injectable } from 'tsyringe';
import { defaultSchedule } from '../diffusion/diffusion-defaults.js';
import { trainSlimUNet, type SlimLossWeights } from '../distill/slim-training.js';
import { diffusionImagesOf } from './stage-data.js';
import { slimTrainingProperties } from './training-options.js';

/** Options of the `sas` distill stage. */
export const SasOptionsSchema = Type.Object({
  steps: withDefault(Type.Integer({ minimum: 1, maximum: 1000000 }), 300),
  taskWeight: withDefault(Type.Number({ minimum: 0, description: 'DDPM ε-prediction loss.' }), 1),
  outputWeight: withDefault(Type.Number({ minimum: 0, description: 'Output KD: MSE to the teacher\'s ε.' }), 1),
  featureWeight: withDefault(Type.Number({ minimum: 0, description: 'Feature KD at the paired stage boundaries (BK-SDM).' }), 1),
  semanticWeight: withDefault(Type.Number({ minimum: 0, description: 'Semantic alignment: MSE of the Fashion-MNIST classifier\'s features of x̂₀, teacher vs student.' }), 1),
  ...slimTrainingProperties,
}, { additionalProperties: false });

export type SasOptions = StageOptions<typeof SasOptionsSchema>;

/**
 * `distill` stage `sas`: A-SDM's semantic-aware supervision on top of BK-SDM's distillation:
 * task + output KD + feature KD at the stage boundaries both U-Nets share + alignment of the
 * Fashion-MNIST classifier's features of the predicted clean image x̂₀, teacher vs student
 * (weights 1.0 each by default; 0 switches a term off).
 *
 * ```json
 * { "teacher": { "path": "teacher/model.json" },
 *   "stages": [ …, { "hook": "distill", "plugin": "sas", "options": { "steps": 300 } }] }
 * ```
 */
@injectable()
export class SasPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'sas',
    hook: 'distill',
    description: 'Semantic-aware supervision: task + output KD + stage-boundary feature KD + classifier-feature alignment of x̂₀.',
    requires: ['teacher', 'data'],
    optionsSchema: SasOptionsSchema,
  });

  readonly name = SasPlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, SasPlugin.meta, async (model, call) => {
      const { images, labels } = diffusionImagesOf(call, model);
      const { options } = call;
      const teacher = await call.ctx.teacher();
      diffusionImagesOf(call, teacher);
      const weights: SlimLossWeights = { task: options.taskWeight, output: options.outputWeight, feature: options.featureWeight, semantic: options.semanticWeight };
      const extractor = options.semanticWeight > 0 ? await FrechetFeatureExtractor.load() : undefined;
      try {
        const progress = call.progress('SAS steps', options.steps);
        const result = trainSlimUNet(model, { images, labels, schedule: defaultSchedule(), teacher, ...(extractor === undefined ? {} : { extractor }) }, {
          steps: options.steps, batchSize: options.batchSize, learningRate: options.learningRate, labelDropout: options.labelDropout, emaDecay: options.emaDecay, weights,
        }, call.rng.fork('sas'), () => progress.tick());
        progress.done();
        call.record({
          steps: result.steps, finalLoss: result.finalLoss.total, taskLoss: result.finalLoss.task, outputKd: result.finalLoss.output,
          featureKd: result.finalLoss.feature, semanticKd: result.finalLoss.semantic, featurePairs: result.featurePairs, trainSeconds: result.milliseconds / 1000,
        });
      } finally {
        extractor?.dispose();
      }
      return model;
    });
  }
}
