import * as tf from '@tensorflow/tfjs';
import type { TObject, TProperties } from '@sinclair/typebox';
import { defineModelBuilder, inputError, StringEnum, Type, withDefault, type ModelBuilder, type ModelBuildEnv, type StageOptions } from '@whittle/kernel';
import { buildInceptionStyle } from '../builders/inception-style.js';
import { buildMobileNetV2Style } from '../builders/mobilenet-v2-style.js';
import { buildPatchGanDiscriminator } from '../builders/patchgan-discriminator.js';
import { buildPix2PixGenerator } from '../builders/pix2pix-generator.js';
import { buildResNet } from '../builders/resnet.js';
import { buildResNet18ImageNet } from '../builders/resnet18-imagenet.js';
import { buildSmallCnn } from '../builders/small-cnn.js';
import { buildUNet } from '../builders/unet.js';
import { buildVggSmall } from '../builders/vgg-small.js';
import { OUTPUT_ACTIVATIONS } from '../common/output-activation.js';
import { OPTION_LIMITS, rejectUnknownOptions } from '../common/validate-options.js';
import { BN_MOMENTUM_OPTION, intOption, positiveOption } from './options-schema.js';

/**
 * Wraps a builder for pipelines: its options schema is an object of `properties` and nothing else, and
 * `build` receives options typed by it; unknown options are rejected even when the caller skipped
 * schema validation.
 */
function pipelineBuilder<Properties extends TProperties>(
  name: string, description: string, properties: Properties,
  build: (options: StageOptions<TObject<Properties>>, env: ModelBuildEnv) => tf.LayersModel,
): ModelBuilder {
  return defineModelBuilder({
    name, description, optionsSchema: Type.Object(properties, { additionalProperties: false }),
    build: (options, env) => {
      rejectUnknownOptions(name, options, Object.keys(properties));
      const variablesBefore = new Set(Object.keys(tf.engine().registeredVariables));
      try {
        return build(options, env);
      } catch (error) {
        // The layers built before the failure hold weights no model owns.
        for (const [key, variable] of Object.entries(tf.engine().registeredVariables)) if (!variablesBefore.has(key)) variable.dispose();
        // Options within their bounds can still multiply into weights no typed array can hold.
        if (!(error instanceof RangeError)) throw error;
        throw inputError('ZOO_MODEL_TOO_LARGE', `${name}: the model for options ${JSON.stringify(options)} and input ${JSON.stringify(env.inputShape)} is too large to allocate (${error.message})`,
          'Lower "width" (or the other size options), or use smaller inputs.', error);
      }
    },
  });
}

/** Only the fields a builder takes, so a richer env object never trips the builders' unknown-option check. */
const fromData = (env: ModelBuildEnv): Pick<ModelBuildEnv, 'inputShape' | 'numClasses' | 'seed'> =>
  ({ inputShape: env.inputShape, numClasses: env.numClasses, seed: env.seed });

const width = (defaultValue: number) => intOption('Filters of the first stage; later stages multiply it.', defaultValue, 1, OPTION_LIMITS.width);

/**
 * The zoo's builders by pipeline name (`model.builder`): small-cnn, resnet, vgg-small, mobilenet-v2-style,
 * inception-style, unet, pix2pix-generator, patchgan-discriminator. Input shape, class count and seed come
 * from the data (`ModelBuildEnv`); `model.options` tunes the rest.
 *
 * ```ts
 * const resnet = zooModelBuilders.find((b) => b.name === 'resnet')!;
 * const model = resnet.build({ depth: 20 }, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
 * ```
 */
export const zooModelBuilders: readonly ModelBuilder[] = [
  pipelineBuilder('small-cnn', 'Three conv-BN-ReLU blocks (w, 2w, 4w), max-pools, GAP, softmax Dense.',
    { width: width(16), bnMomentum: BN_MOMENTUM_OPTION },
    (o, env) => buildSmallCnn({ ...fromData(env), width: o.width, bnMomentum: o.bnMomentum })),
  pipelineBuilder('resnet', 'CIFAR-style ResNet (6n+2 layers) with basic blocks and projection shortcuts.',
    {
      depth: intOption('Layers, 6n+2: 20, 32, 44, 56 or 110.', 20, 8, OPTION_LIMITS.resnetDepth),
      width: width(16), bnMomentum: BN_MOMENTUM_OPTION,
    },
    (o, env) => buildResNet({ ...fromData(env), depth: o.depth, width: o.width, bnMomentum: o.bnMomentum })),
  pipelineBuilder('resnet18-imagenet', 'ResNet-18 for ImageNet (7×7 stem, max-pool, 4 stages of 2 basic blocks): the GEMM sizes of N3H-Core\'s latency model at 224×224.',
    { width: width(64), bnMomentum: BN_MOMENTUM_OPTION },
    (o, env) => buildResNet18ImageNet({ ...fromData(env), width: o.width, bnMomentum: o.bnMomentum })),
  pipelineBuilder('vgg-small', 'Three stages of two conv-BN-ReLU, max-pools, Flatten, two Dense layers.',
    {
      width: width(16),
      denseUnits: intOption('Units of the hidden Dense layer. Default: 8 × width.', undefined, 1, OPTION_LIMITS.channels),
      bnMomentum: BN_MOMENTUM_OPTION,
    },
    (o, env) => buildVggSmall({ ...fromData(env), width: o.width, denseUnits: o.denseUnits, bnMomentum: o.bnMomentum })),
  pipelineBuilder('mobilenet-v2-style', 'Small MobileNetV2: inverted residuals with depthwise convs, Add and ReLU6.',
    { alpha: positiveOption('Width multiplier of every layer (channels rounded to multiples of 8).', 1, OPTION_LIMITS.alpha), bnMomentum: BN_MOMENTUM_OPTION },
    (o, env) => buildMobileNetV2Style({ ...fromData(env), alpha: o.alpha, bnMomentum: o.bnMomentum })),
  pipelineBuilder('inception-style', 'Two stages of inception blocks (1×1, 3×3, 5×5 and pool branches, Concatenate).',
    { width: intOption('Filters per stage-1 branch; stage 2 doubles it.', 16, 2, OPTION_LIMITS.width), bnMomentum: BN_MOMENTUM_OPTION },
    (o, env) => buildInceptionStyle({ ...fromData(env), width: o.width, bnMomentum: o.bnMomentum })),
  pipelineBuilder('unet', 'U-Net encoder/decoder with UpSampling2D and skip Concatenate; per-pixel output.',
    {
      outChannels: intOption('Output channels per pixel. Default: the data\'s class count.', undefined, 1, OPTION_LIMITS.channels),
      width: width(16),
      depth: intOption('Number of 2× downsamplings; input sides must be divisible by 2^depth.', 3, 1, 8),
      outActivation: withDefault(StringEnum(OUTPUT_ACTIVATIONS, { description: 'Activation of the output 1×1 conv.' }), 'linear'),
      bnMomentum: BN_MOMENTUM_OPTION,
    },
    (o, env) => buildUNet({
      inputShape: env.inputShape, seed: env.seed, outChannels: o.outChannels ?? env.numClasses,
      width: o.width, depth: o.depth, outActivation: o.outActivation, bnMomentum: o.bnMomentum,
    })),
  pipelineBuilder('pix2pix-generator', 'pix2pix U-Net generator: stride-2 convs down, Conv2DTranspose up, skip concat, tanh.',
    {
      outChannels: intOption('Channels of the generated image. Default: the input\'s channels.', undefined, 1, OPTION_LIMITS.channels),
      width: width(16),
      depth: intOption('Stride-2 down blocks. Default: as many as both sides allow, at most 8.', undefined, 1, 8),
      bnMomentum: BN_MOMENTUM_OPTION,
      outActivation: withDefault(StringEnum(['tanh', 'sigmoid'] as const, { description: 'Output activation: tanh (images in [-1, 1], pix2pix) or sigmoid (images in [0, 1]).' }), 'tanh'),
    },
    (o, env) => buildPix2PixGenerator({
      inputShape: env.inputShape, seed: env.seed, outChannels: o.outChannels, width: o.width,
      depth: o.depth, bnMomentum: o.bnMomentum, outActivation: o.outActivation,
    })),
  pipelineBuilder('patchgan-discriminator', 'Conditional PatchGAN: concat(input, target), conv stack, 1-channel patch logits.',
    {
      targetChannels: intOption('Channels of the target image. Default: the input\'s channels.', undefined, 1, OPTION_LIMITS.channels),
      width: width(16),
      downsamplings: intOption('Stride-2 convs (3 gives a 70×70 receptive field).', 3, 1, 8),
      bnMomentum: BN_MOMENTUM_OPTION,
    },
    (o, env) => buildPatchGanDiscriminator({
      inputShape: env.inputShape, seed: env.seed, targetChannels: o.targetChannels, width: o.width,
      downsamplings: o.downsamplings, bnMomentum: o.bnMomentum,
    })),
];
