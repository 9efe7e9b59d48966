import { definePluginMeta, tapStage, Type, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { buildPatchGanDiscriminator } from '@whittle/zoo';
import { injectable } from 'tsyringe';
import { pix2pixTrainingProperties } from '../gan/pix2pix-options.js';
import { trainPix2Pix } from '../gan/train-pix2pix.js';
import { LossHistory } from '../report/loss-history.js';
import { requireGenerator, requireImageToImage } from './image-to-image-data.js';

/** Options of the `pix2pix` recover stage: the shared pix2pix knobs. */
export const Pix2PixOptionsSchema = Type.Object({ ...pix2pixTrainingProperties }, { additionalProperties: false });
export type Pix2PixOptions = StageOptions<typeof Pix2PixOptionsSchema>;

/**
 * `recover` stage `pix2pix`: trains the run's model (an image-to-image generator) as a pix2pix
 * conditional GAN against a fresh PatchGAN discriminator (the zoo's, `discriminatorWidth`), with
 * adversarial + λ_L1·L1 losses and alternating Adam updates — how a teacher is trained, or a pruned
 * generator recovered. The discriminator is saved into the stage's folder (`discriminator/`), and the losses per step as
 * report.html items.
 *
 * ```json
 * { "hook": "recover", "plugin": "pix2pix", "options": { "steps": 1500, "batchSize": 16, "discriminatorWidth": 8 } }
 * ```
 */
@injectable()
export class Pix2PixPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'pix2pix',
    hook: 'recover',
    description: 'Trains an image-to-image generator as a pix2pix GAN (PatchGAN discriminator, adversarial + L1).',
    requires: ['data'],
    optionsSchema: Pix2PixOptionsSchema,
  });

  readonly name = Pix2PixPlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, Pix2PixPlugin.meta, async (model, call) => {
      const { options } = call;
      const data = requireImageToImage(call);
      requireGenerator(call, 'generator', model, data.train);
      const discriminator = buildPatchGanDiscriminator({
        inputShape: data.inputShape, targetChannels: data.train.y.shape[3], width: options.discriminatorWidth,
        downsamplings: options.discriminatorDownsamplings, seed: call.rng.fork('discriminator').int(2 ** 31),
      });
      try {
        const progress = call.progress('pix2pix steps', options.steps);
        const history = new LossHistory(options.steps);
        const result = await trainPix2Pix({ generator: model, discriminator }, data.train, options, call.rng.fork('batches'), undefined, (step, losses) => {
          history.add(step, losses, step === options.steps - 1);
          progress.tick();
        });
        progress.done();
        for (const [file, text] of Object.entries(history.reportItems(call.stage.label, false))) await call.ctx.artifacts.writeFile(file, text);
        call.record({
          steps: result.steps, trainSeconds: result.milliseconds / 1000, finalGeneratorLoss: result.generatorLoss,
          finalDiscriminatorLoss: result.discriminatorLoss, finalL1: result.l1Loss, discriminatorWidth: options.discriminatorWidth,
          discriminator: await call.ctx.artifacts.saveModel('discriminator', discriminator),
        });
      } finally {
        discriminator.dispose();
      }
      return model;
    });
  }
}
