import { inputError } from '@whittle/kernel';

/** Activations a dense-prediction head may end with. */
export const OUTPUT_ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'softmax'] as const;
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];

/**
 * Checks an output-activation option.
 *
 * ```ts
 * requireOutputActivation('unet', 'sigmoid'); // 'sigmoid'
 * ```
 */
export function requireOutputActivation(model: string, value: unknown): OutputActivation {
  if (!OUTPUT_ACTIVATIONS.includes(value as OutputActivation)) {
    throw inputError('ZOO_BAD_OPTION', `${model}: option "outActivation" is ${JSON.stringify(value)}`,
      `Use one of ${OUTPUT_ACTIVATIONS.join(', ')}.`);
  }
  return value as OutputActivation;
}
