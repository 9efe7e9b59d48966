import { Ajv, type ValidateFunction } from 'ajv';
import { inputError } from '../errors/whittle-error.js';
import type { OptionsSchema } from './options-schema.js';

// Strict: an unknown keyword (`maximun`) or a keyword that cannot apply (`minimum` without a numeric
// type) is an error in the schema, not silently ignored. strictRequired stays off: a schema that
// needs one of two properties writes `anyOf: [{ required: ['a'] }, { required: ['b'] }]` beside
// `properties`, which that check cannot see.
const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true, strictRequired: false });
const compiled = new WeakMap<object, ValidateFunction>();

// Keywords whose value maps names to schemas, and keywords whose value is data, not schema.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples', 'required']);

/**
 * The compiled validator of an options schema (cached per schema object). A schema ajv refuses in
 * strict mode is a `PLUGIN_SCHEMA_INVALID` input error naming `owner` (e.g. `plugin "train" of
 * "@whittle/plugin-baselines"`) and the path inside the schema.
 *
 * ```ts
 * const validate = compileOptionsSchema(TrainPlugin.meta.optionsSchema, 'plugin "train"');
 * ```
 */
export function compileOptionsSchema(schema: OptionsSchema, owner: string): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached !== undefined) return cached;
  if (!(ajv.validateSchema(schema) as boolean)) {
    const first = ajv.errors?.[0];
    throw schemaInvalid(owner, `#${first?.instancePath ?? ''}`, first?.message ?? 'not a JSON Schema');
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    const message = (error as Error).message.replace(/^strict mode: /, '');
    // ajv names the place for most strict checks (` at "#/properties/x"`), not for an unknown keyword.
    const at = /at "([^"]*)"/.exec(message)?.[1];
    const unknown = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
    const path = at ?? (unknown === undefined ? undefined : keywordPath(schema, unknown, '#')) ?? '#';
    throw schemaInvalid(owner, path, message.replace(/ at "[^"]*"/, ''));
  }
  compiled.set(schema, validate);
  return validate;
}

function schemaInvalid(owner: string, path: string, message: string): Error {
  return inputError(
    'PLUGIN_SCHEMA_INVALID',
    `${owner} has an invalid options schema at ${path}: ${message}`,
    'The plugin\'s author must fix its optionsSchema (JSON Schema draft 2020-12, ajv strict mode); until then, remove the package from "plugins".',
  );
}

/** Where in a schema the first subschema using `keyword` is (a JSON pointer from `#`). */
function keywordPath(schema: unknown, keyword: string, path: string): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) {
      const found = keywordPath(item, keyword, `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.hasOwn(schema, keyword)) return `${path}/${keyword}`;
  for (const [key, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key) || typeof value !== 'object' || value === null) continue;
    const entries = SCHEMA_MAPS.has(key) ? Object.entries(value as object).map(([name, sub]) => [`${key}/${name}`, sub] as const) : [[key, value] as const];
    for (const [at, sub] of entries) {
      const found = keywordPath(sub, keyword, `${path}/${at}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
