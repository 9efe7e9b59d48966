import { Type, withDefault } from '@whittle/kernel';

/** Training options shared by the sd-slim stages (TypeBox properties). */
export const slimTrainingProperties = {
  batchSize: withDefault(Type.Integer({ minimum: 1, maximum: 512 }), 32),
  learningRate: withDefault(Type.Number({ exclusiveMinimum: 0, maximum: 1 }), 5e-4),
  emaDecay: withDefault(Type.Number({ minimum: 0, maximum: 0.9999, description: 'Decay of the moving average of the trained weights that the stage ends with (trainSlimUNet\'s emaDecay); 0: the last iterate.' }), 0.99),
  labelDropout: withDefault(Type.Number({ minimum: 0, maximum: 1, description: 'Probability of an unconditional example (classifier-free guidance).' }), 0.1),
};
