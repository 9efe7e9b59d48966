import { defineModelBuilder, Type, withDefault } from '@whittle/kernel';
import { buildDiffusionUNet, DIFFUSION_UNET_DEFAULTS } from './diffusion-unet.js';

const D = DIFFUSION_UNET_DEFAULTS;

/** Options of the `diffusion-unet` model builder (`model.options` in a pipeline). */
export const DiffusionUNetOptionsSchema = Type.Object({
  width: withDefault(Type.Integer({ minimum: 1, maximum: 512, description: 'Channels of the first level.' }), D.width),
  channelMults: withDefault(Type.Array(Type.Integer({ minimum: 1, maximum: 16 }), { minItems: 1, maxItems: 5, description: 'Channel multiplier per level.' }), [...D.channelMults]),
  resBlocks: withDefault(Type.Integer({ minimum: 1, maximum: 4, description: 'Residual blocks per level.' }), D.resBlocks),
  attentionLevels: withDefault(Type.Array(Type.Integer({ minimum: 0, maximum: 4 }), { description: 'Levels with self- and cross-attention (the middle always has them).' }), [...D.attentionLevels]),
  heads: withDefault(Type.Integer({ minimum: 1, maximum: 16 }), D.heads),
  contextTokens: withDefault(Type.Integer({ minimum: 1, maximum: 64, description: 'Tokens of the class conditioning sequence.' }), D.contextTokens),
  contextDim: withDefault(Type.Integer({ minimum: 1, maximum: 512 }), D.contextDim),
}, { additionalProperties: false });

/**
 * `diffusion-unet`: the class-conditional diffusion U-Net of `buildDiffusionUNet`, sized by
 * `model.options`, shaped by the data (image shape, class count) and seeded by the run.
 *
 * ```json
 * { "model": { "builder": "diffusion-unet", "options": { "width": 32, "channelMults": [1, 2, 2] } } }
 * ```
 */
export const diffusionUNetBuilder = defineModelBuilder({
  name: 'diffusion-unet',
  description: 'Class-conditional diffusion U-Net: residual blocks with time embedding, self- and cross-attention to class tokens (inputs image, timestep, one-hot class; output the predicted noise).',
  optionsSchema: DiffusionUNetOptionsSchema,
  build: (options, env) => buildDiffusionUNet({ ...options, inputShape: env.inputShape, numClasses: env.numClasses, seed: env.seed }),
});
