import * as tf from '@tensorflow/tfjs';
import { definePluginMeta, inputError, StringEnum, tapStage, Type, withDefault, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { FrechetFeatureExtractor } from '@whittle/metrics';
import { buildPatchGanDiscriminator } from '@whittle/zoo';
import { injectable } from 'tsyringe';
import { pix2pixTrainingProperties } from '../gan/pix2pix-options.js';
import { teacherOutputs, trainPix2Pix, type DistillationTerm } from '../gan/train-pix2pix.js';
import { WKD_BAND_UNITS, WKD_BANDS, waveletKdLoss } from '../loss/wavelet-kd-loss.js';
import { imageGridPng } from '../report/image-grid.js';
import { LossHistory } from '../report/loss-history.js';
import { GeneratorEvaluator, type GeneratorQuality } from './evaluate-generator.js';
import { requireGenerator, requireImageToImage } from './image-to-image-data.js';

/** What the student is distilled on: the teacher's Haar bands (`wavelet`), its pixels (`pixel`), or nothing (`none`: plain pix2pix, the no-KD baseline). */
export const DISTILLATIONS = ['wavelet', 'pixel', 'none'] as const;

/** Options of the `wavelet-kd` distill stage. */
export const WaveletKdOptionsSchema = Type.Object(
  {
    ...pix2pixTrainingProperties,
    distillation: withDefault(StringEnum(DISTILLATIONS, { description: 'wavelet: L1 on the teacher\'s Haar bands; pixel: L1 on its pixels; none: no KD (baseline).' }), 'wavelet'),
    bands: withDefault(StringEnum(WKD_BANDS, { description: 'With distillation "wavelet": high (LH/HL/HH of every level, the paper), low (LL only) or all.' }), 'high'),
    bandUnits: withDefault(StringEnum(WKD_BAND_UNITS, { description: 'With distillation "wavelet": pixel (level j\'s bands / 2^j, LL / 2^J: every band in pixel-mean units, on pixel KD\'s scale at the same distillWeight) or orthonormal (the authors\' code; level j pulls 2^j× as hard as pixel L1, LL 2^J×, which at distillWeight 100 starved the student\'s LL in bench/wavelet-kd run 1: over-bright outputs, Fréchet 13.6 vs 5.7 in pixel units).' }), 'pixel'),
    levels: withDefault(Type.Integer({ minimum: 1, maximum: 8, description: 'Haar levels J (3 at 32×32; the authors\' code uses 4 at 256×256).' }), 3),
    distillWeight: withDefault(Type.Number({ minimum: 0, description: 'Weight of the distillation term (the paper\'s λ was not published; 100 puts it on the scale of λ_L1).' }), 100),
    gridImages: withDefault(Type.Integer({ minimum: 0, maximum: 64, description: 'Examples in grid.png (rows: input, target, teacher, student); 0: no picture.' }), 8),
    evaluate: withDefault(Type.Boolean({ description: 'Measure Fréchet distance, L1, PSNR, SSIM and per-band L1 of teacher and student on the test split (else validation).' }), true),
  },
  { additionalProperties: false },
);

export type WaveletKdOptions = StageOptions<typeof WaveletKdOptionsSchema>;

/** The run-memo key of the teacher's outputs on the training inputs. */
const TEACHER_OUTPUTS = 'wavelet-kd: teacher outputs on the training inputs';

/**
 * `distill` stage `wavelet-kd`: Wavelet Knowledge Distillation (Zhang et al., CVPR 2022) of an
 * image-to-image generator. The run's model (the student generator) trains as a pix2pix GAN against
 * a fresh PatchGAN discriminator of `discriminatorWidth` (the zoo's builder; compressing it is the
 * paper's second finding) with loss adversarial + λ_L1·L1(target) + distillWeight·WKD(teacher, student),
 * WKD the L1 of the J-level Haar high-frequency bands. `distillation: "pixel"` / `"none"` and
 * `bands: "low"` give the paper's baselines and ablation. Saves the student's discriminator
 * (`discriminator/`, so the checkpoint holds both networks), `grid.png` and report.html items (the grid,
 * the loss curves) into the stage's folder.
 *
 * ```json
 * { "teacher": { "path": "teacher/generator/model.json" },
 *   "model": { "builder": "pix2pix-generator", "options": { "width": 7, "outActivation": "sigmoid" } },
 *   "stages": [{ "hook": "distill", "plugin": "wavelet-kd", "options": { "steps": 1000, "discriminatorWidth": 8 } }] }
 * ```
 */
@injectable()
export class WaveletKdPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'wavelet-kd',
    hook: 'distill',
    description: 'Wavelet KD for image-to-image GANs: pix2pix training of the student with L1 on the teacher\'s Haar high-frequency bands.',
    requires: ['teacher', 'data'],
    optionsSchema: WaveletKdOptionsSchema,
  });

  readonly name = WaveletKdPlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, WaveletKdPlugin.meta, async (model, call) => {
      const { options } = call;
      const data = requireImageToImage(call);
      requireGenerator(call, 'student', model, data.train);
      const teacher = await call.ctx.teacher();
      requireGenerator(call, 'teacher', teacher, data.train);
      const [, h, w] = data.train.y.shape;
      if (h % 2 ** options.levels !== 0 || w % 2 ** options.levels !== 0) {
        throw inputError('WKD_BAD_LEVELS', `stage ${call.stage.label}: ${options.levels} Haar levels need target sides divisible by ${2 ** options.levels}, got ${h}×${w}`, 'Lower "levels" (3 at 32×32).');
      }
      const from = [teacher, data.train.x];
      const reused = call.ctx.memo.has(from, TEACHER_OUTPUTS);
      const targets = call.ctx.memo.get(from, TEACHER_OUTPUTS, () => teacherOutputs(teacher, data.train.x));
      const distill: DistillationTerm | undefined = options.distillation === 'none' ? undefined : {
        targets, weight: options.distillWeight,
        loss: options.distillation === 'pixel'
          ? (t, s) => t.sub(s).abs().mean() as tf.Scalar
          : (t, s) => waveletKdLoss(t, s, options.levels, options.bands, options.bandUnits),
      };
      const discriminator = buildPatchGanDiscriminator({
        inputShape: data.inputShape, targetChannels: data.train.y.shape[3], width: options.discriminatorWidth,
        downsamplings: options.discriminatorDownsamplings, seed: call.rng.fork('discriminator').int(2 ** 31),
      });
      try {
        const progress = call.progress('pix2pix steps', options.steps);
        const history = new LossHistory(options.steps);
        const result = await trainPix2Pix({ generator: model, discriminator }, data.train, options, call.rng.fork('batches'), distill, (step, losses) => {
          history.add(step, losses, step === options.steps - 1);
          progress.tick();
        });
        progress.done();
        for (const [file, text] of Object.entries(history.reportItems(call.stage.label, distill !== undefined))) await call.ctx.artifacts.writeFile(file, text);
        const discriminatorDir = await call.ctx.artifacts.saveModel('discriminator', discriminator);
        call.record({
          steps: result.steps, trainSeconds: result.milliseconds / 1000, finalGeneratorLoss: result.generatorLoss,
          finalDiscriminatorLoss: result.discriminatorLoss, finalL1: result.l1Loss, finalDistillLoss: result.distillLoss,
          distillation: options.distillation === 'wavelet' ? `wavelet-${options.bands}` : options.distillation,
          discriminatorWidth: options.discriminatorWidth, discriminator: discriminatorDir, teacherOutputs: reused ? 'reused' : 'computed',
        });
        const evaluation = data.test ?? data.validation;
        if (options.evaluate && evaluation.x.shape[0] >= 2) {
          const extractor = await FrechetFeatureExtractor.load();
          try {
            const evaluator = new GeneratorEvaluator(evaluation, extractor, options.levels);
            call.record({ ...prefixed('teacher', evaluator.measure(teacher)), ...prefixed('student', evaluator.measure(model)) });
          } finally {
            extractor.dispose();
          }
        }
        if (options.gridImages > 0) {
          const k = Math.min(options.gridImages, evaluation.x.shape[0]);
          const rows = tf.tidy(() => {
            const x = evaluation.x.slice(0, k);
            return [x, evaluation.y.slice(0, k), teacher.predict(x) as tf.Tensor4D, model.predict(x) as tf.Tensor4D] as tf.Tensor4D[];
          });
          try {
            const inputRow = rows[0]!.shape[3] === rows[1]!.shape[3] ? rows : rows.slice(1);
            const gridRows = inputRow.length === 4 ? 'input, target, teacher, student' : 'target, teacher, student';
            call.record({ grid: await call.ctx.artifacts.writeFile('grid.png', await imageGridPng(inputRow)), gridRows });
            // The picture in report.html (the @whittle/report image item format), with words for who cannot see it.
            await call.ctx.artifacts.writeFile('grid.report.json', `${JSON.stringify({
              kind: 'image', title: 'Teacher and student outputs', file: 'grid.png',
              alt: `A grid of ${k} ${evaluation === data.test ? 'test' : 'validation'} examples, one per column; rows from top: ${gridRows}.`,
              caption: `rows: ${gridRows}; columns: the first ${k} ${evaluation === data.test ? 'test' : 'validation'} examples`,
            }, null, 2)}\n`);
          } finally {
            tf.dispose(rows);
          }
        }
      } finally {
        discriminator.dispose();
      }
      return model;
    });
  }
}

function prefixed(prefix: string, quality: GeneratorQuality): Record<string, number> {
  return Object.fromEntries(Object.entries(quality).map(([key, value]) => [`${prefix}${key[0]!.toUpperCase()}${key.slice(1)}`, value]));
}
