/** A JSON Schema property of a builder option. */
export type OptionSchema = Readonly<Record<string, unknown>>;

/**
 * The JSON Schema of a builder's `model.options`: an object of the given properties, nothing else.
 *
 * ```ts
 * optionsSchema({ width: intOption('Filters of the first block.', 16) });
 * ```
 */
export function optionsSchema(properties: Readonly<Record<string, OptionSchema>>): Readonly<Record<string, unknown>> {
  return { type: 'object', additionalProperties: false, properties };
}

/**
 * An integer option with a minimum; the default is left out when it depends on the data.
 *
 * ```ts
 * intOption('ResNet depth, 6n+2.', 20, 8);
 * ```
 */
export function intOption(description: string, defaultValue?: number, minimum = 1, maximum?: number): OptionSchema {
  return {
    type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }),
    ...(defaultValue === undefined ? {} : { default: defaultValue }), description,
  };
}

/**
 * A number option that must be > 0 (and at most `maximum`, if given).
 *
 * ```ts
 * positiveOption('Width multiplier.', 1);
 * ```
 */
export function positiveOption(description: string, defaultValue: number, maximum?: number): OptionSchema {
  return { type: 'number', exclusiveMinimum: 0, ...(maximum === undefined ? {} : { maximum }), default: defaultValue, description };
}

/** The BatchNormalization momentum option every zoo builder shares. */
export const BN_MOMENTUM_OPTION: OptionSchema = {
  type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.9,
  description: 'BatchNormalization momentum. 0.9 (not tfjs\' 0.99) so moving statistics settle within a short run.',
};
