import { definePluginMeta, tapStage, Type, withDefault, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';
import { defaultSchedule } from '../diffusion/diffusion-defaults.js';
import { trainSlimUNet } from '../distill/slim-training.js';
import { diffusionImagesOf } from './stage-data.js';
import { slimTrainingProperties } from './training-options.js';

/** Options of the `sd-finetune` recover stage. */
export const SdFinetuneOptionsSchema = Type.Object({
  steps: withDefault(Type.Integer({ minimum: 1, maximum: 1000000 }), 300),
  ...slimTrainingProperties,
}, { additionalProperties: false });

export type SdFinetuneOptions = StageOptions<typeof SdFinetuneOptionsSchema>;

/**
 * `recover` stage `sd-finetune`: fine-tunes the whole (slim) U-Net with the plain DDPM loss — the
 * "assemble and fine-tune" step after incubation, and the no-KD baseline of the ablation.
 *
 * ```json
 * { "hook": "recover", "plugin": "sd-finetune", "options": { "steps": 300 } }
 * ```
 */
@injectable()
export class SdFinetunePlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'sd-finetune',
    hook: 'recover',
    description: 'Fine-tune a diffusion U-Net as a whole on the DDPM ε-prediction loss.',
    requires: ['data'],
    optionsSchema: SdFinetuneOptionsSchema,
  });

  readonly name = SdFinetunePlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, SdFinetunePlugin.meta, async (model, call) => {
      const { images, labels } = diffusionImagesOf(call, model);
      const { options } = call;
      const progress = call.progress('fine-tune steps', options.steps);
      const result = trainSlimUNet(model, { images, labels, schedule: defaultSchedule() }, {
        steps: options.steps, batchSize: options.batchSize, learningRate: options.learningRate, labelDropout: options.labelDropout, emaDecay: options.emaDecay,
        weights: { task: 1, output: 0, feature: 0, semantic: 0 },
      }, call.rng.fork('finetune'), () => progress.tick());
      progress.done();
      call.record({ steps: result.steps, finalLoss: result.finalLoss.total, trainSeconds: result.milliseconds / 1000 });
      return model;
    });
  }
}
