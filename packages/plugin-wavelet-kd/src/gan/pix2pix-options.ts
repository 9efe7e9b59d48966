import { Type, withDefault } from '@whittle/kernel';

/** The pix2pix training knobs shared by the `pix2pix` and `wavelet-kd` stages (TypeBox properties). */
export const pix2pixTrainingProperties = {
  steps: withDefault(Type.Integer({ minimum: 1, description: 'Generator/discriminator update pairs.' }), 1000),
  batchSize: withDefault(Type.Integer({ minimum: 1, description: 'Pairs per step.' }), 32),
  learningRate: withDefault(Type.Number({ exclusiveMinimum: 0, description: 'Adam learning rate of both networks (pix2pix: 2e-4).' }), 2e-4),
  beta1: withDefault(Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Adam β1 of both networks (pix2pix: 0.5).' }), 0.5),
  l1Weight: withDefault(Type.Number({ minimum: 0, description: 'Weight λ of the L1 loss to the target (pix2pix: 100); the adversarial term has weight 1.' }), 100),
  discriminatorWidth: withDefault(Type.Integer({ minimum: 1, description: 'Filters of the PatchGAN discriminator\'s first conv (the zoo\'s patchgan-discriminator width).' }), 16),
  discriminatorDownsamplings: withDefault(Type.Integer({ minimum: 1, maximum: 8, description: 'Stride-2 convs of the discriminator (3 at 32×32 leaves 2×2 patches).' }), 3),
} as const;
