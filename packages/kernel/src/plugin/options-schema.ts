import { Type, type Static, type TObject, type TOptional, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A JSON Schema (draft 2020-12 subset that ajv understands) for a plugin's options: an object schema. */
export type OptionsSchema = Readonly<Record<string, unknown>>;

// A type-only mark: the schema object carries a `default`, which TypeBox's types do not record.
declare const HAS_DEFAULT: unique symbol;

/** A property schema with a default: optional in a pipeline, always present in the options a stage receives. */
export type TDefaulted<T extends TSchema> = TOptional<T> & { readonly [HAS_DEFAULT]: true };

/**
 * Gives a property schema its default, type-checked against the schema: the pipeline may leave the
 * property out, and the options a plugin receives always have it (ajv's `useDefaults` fills it in).
 *
 * ```ts
 * const Options = Type.Object({ step: withDefault(Type.Integer({ minimum: 1 }), 8) }, { additionalProperties: false });
 * type Options = StageOptions<typeof Options>; // { readonly step: number }
 * ```
 */
export function withDefault<T extends TSchema>(schema: T, value: Static<T>): TDefaulted<T> {
  return Type.Optional({ ...schema, default: value }) as TDefaulted<T>;
}

/**
 * A string property that is one of `values`, as a plain JSON Schema `enum` (clearer errors and editor
 * completion than TypeBox's union of literals).
 *
 * ```ts
 * const norm = StringEnum(['l1', 'l2sq'], { description: 'Filter norm.' }); // Static: 'l1' | 'l2sq'
 * ```
 */
export function StringEnum<const Values extends readonly string[]>(values: Values, options: { readonly description?: string } = {}): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ ...options, type: 'string', enum: [...values] });
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<P extends TProperties> = { [K in keyof P]: P[K] extends TDefaulted<TSchema> ? K : P[K] extends TOptional<TSchema> ? never : K }[keyof P];
type OptionalKeys<P extends TProperties> = Exclude<keyof P, RequiredKeys<P>>;

/**
 * The options a stage receives for a schema, as validated by the kernel: `Static<Schema>` with every
 * property that has a default (`withDefault`) present, in nested objects too. A plain JSON Schema
 * (not built with TypeBox) gives `unknown`.
 *
 * ```ts
 * type O = StageOptions<typeof MyOptions>;
 * ```
 */
export type StageOptions<Schema> =
  Schema extends TObject<infer P>
    ? Simplify<{ readonly [K in RequiredKeys<P>]: StageOptions<P[K]> } & { readonly [K in OptionalKeys<P>]?: StageOptions<P[K]> }>
    : Schema extends TSchema
      ? Static<Schema>
      : unknown;
