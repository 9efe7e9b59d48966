import { inputError } from '@whittle/kernel';

/** [height, width, channels] of one input example. */
export type ImageShape = readonly [number, number, number];

/**
 * Upper bounds of the size options, well above any model that trains in TensorFlow.js yet low enough
 * that a typo (`"width": 1e12`) is refused by name instead of failing inside tfjs's weight allocation.
 */
export const OPTION_LIMITS = {
  /** Filters of a builder's first stage (later stages multiply it, up to 8×). */
  width: 1024,
  /** Output, target or hidden-Dense channels. */
  channels: 65536,
  /** MobileNet width multiplier. */
  alpha: 16,
  /** ResNet layers (6n+2; ResNet-1202 is the deepest in the paper). */
  resnetDepth: 1202,
} as const;

/**
 * Checks that `value` is an integer in [min, max]; throws an input error naming the model and option otherwise.
 *
 * ```ts
 * requireInt('small-cnn', 'width', 16, 1); // ok
 * ```
 */
export function requireInt(model: string, option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw inputError('ZOO_BAD_OPTION', `${model}: option "${option}" is ${JSON.stringify(value)}, expected ${range}`,
      `Set ${option} to ${range}.`);
  }
  return value;
}

/**
 * Checks that `value` is a finite number > 0 (and at most `max`).
 *
 * ```ts
 * requirePositive('mobilenet-v2-style', 'alpha', 0.5);
 * ```
 */
export function requirePositive(model: string, option: string, value: unknown, max = Number.MAX_VALUE): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    const range = max === Number.MAX_VALUE ? 'a number > 0' : `a number in (0, ${max}]`;
    throw inputError('ZOO_BAD_OPTION', `${model}: option "${option}" is ${JSON.stringify(value)}, expected ${range}`,
      `Set ${option} to ${range}, e.g. 1.`);
  }
  return value;
}

/**
 * Checks an [h, w, c] input shape of positive integers; `minSide` is the smallest height/width the model can
 * downsample, and `multipleOf` (if given) a factor that height and width must be divisible by.
 *
 * ```ts
 * requireImageShape('resnet', [32, 32, 3], 4);
 * ```
 */
export function requireImageShape(model: string, value: unknown, minSide = 1, multipleOf = 1): ImageShape {
  const ok = Array.isArray(value) && value.length === 3 && value.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);
  if (!ok) {
    throw inputError('ZOO_BAD_INPUT_SHAPE', `${model}: inputShape ${JSON.stringify(value)} is not [height, width, channels] of positive integers`,
      'Pass an image shape such as [32, 32, 3].');
  }
  const [h, w, c] = value as [number, number, number];
  if (h < minSide || w < minSide) {
    throw inputError('ZOO_BAD_INPUT_SHAPE', `${model}: inputShape [${h}, ${w}, ${c}] is too small; height and width must be >= ${minSide}`,
      `Use an input of at least ${minSide}×${minSide}, or a shallower model.`);
  }
  if (h % multipleOf !== 0 || w % multipleOf !== 0) {
    throw inputError('ZOO_BAD_INPUT_SHAPE', `${model}: inputShape [${h}, ${w}, ${c}] has height or width not divisible by ${multipleOf}`,
      `Use a height and width that are multiples of ${multipleOf} (the model halves them that many times and joins skips).`);
  }
  return [h, w, c];
}

/**
 * Throws if `options` carries a key the builder does not know, which is usually a typo.
 *
 * ```ts
 * rejectUnknownOptions('resnet', { depth: 20 }, ['depth', 'width']);
 * ```
 */
export function rejectUnknownOptions(model: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw inputError('ZOO_UNKNOWN_OPTION', `${model}: unknown option "${key}"`, `Known options: ${known.join(', ')}.`);
    }
  }
}

/**
 * Checks a BatchNormalization momentum: a number in (0, 1).
 *
 * ```ts
 * requireMomentum('resnet', 0.9);
 * ```
 */
export function requireMomentum(model: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw inputError('ZOO_BAD_OPTION', `${model}: option "bnMomentum" is ${JSON.stringify(value)}, expected a number in (0, 1)`,
      'Set bnMomentum to e.g. 0.9 (the zoo default) or 0.99 (tfjs default).');
  }
  return value;
}
