import { Type, withDefault, type TDefaulted } from '@whittle/kernel';
import type { TInteger, TNumber, TOptional } from '@sinclair/typebox';

/**
 * An integer option with a minimum; without a default (when it depends on the data) it is optional.
 *
 * ```ts
 * intOption('ResNet depth, 6n+2.', 20, 8);
 * ```
 */
export function intOption(description: string, defaultValue: number, minimum?: number, maximum?: number): TDefaulted<TInteger>;
export function intOption(description: string, defaultValue?: undefined, minimum?: number, maximum?: number): TOptional<TInteger>;
export function intOption(description: string, defaultValue?: number, minimum = 1, maximum?: number): TDefaulted<TInteger> | TOptional<TInteger> {
  const schema = Type.Integer({ minimum, ...(maximum === undefined ? {} : { maximum }), description });
  return defaultValue === undefined ? Type.Optional(schema) : withDefault(schema, defaultValue);
}

/**
 * A number option that must be > 0 (and at most `maximum`, if given).
 *
 * ```ts
 * positiveOption('Width multiplier.', 1);
 * ```
 */
export function positiveOption(description: string, defaultValue: number, maximum?: number): TDefaulted<TNumber> {
  return withDefault(Type.Number({ exclusiveMinimum: 0, ...(maximum === undefined ? {} : { maximum }), description }), defaultValue);
}

/** The BatchNormalization momentum option every zoo builder shares. */
export const BN_MOMENTUM_OPTION = withDefault(
  Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'BatchNormalization momentum. 0.9 (not tfjs\' 0.99) so moving statistics settle within a short run.' }),
  0.9,
);
