import { Ajv, type ErrorObject } from 'ajv';
import { inputError, isWhittleError } from '@whittle/kernel';
import { parseJsonBytes } from '@whittle/model-io';
import { ACTIVATION_KINDS, LAYER_OPS, MERGE_KINDS, signatureKey, type LayerSignature } from '@whittle/graph';
import { headerDifferences, LatencyTable, type LatencyEntry, type LatencyTableExpectation, type LatencyTableHeader, type WholeModelEntry } from './latency-table.js';

/** The `format` tag of a latency table file. */
export const LATENCY_TABLE_FORMAT = 'whittle-latency-table';
/**
 * The file version this code writes and reads. Version 2 (this one) times every op in loops of K
 * with one read-back and adds BatchNorm, activation, merge, pooling and padding entries; version 1
 * timed each weighted layer alone with its own read-back, so its times are not comparable and its
 * files are refused with a hint to rebuild.
 */
export const LATENCY_TABLE_VERSION = 2;

/**
 * A latency table as JSON: `{ format, version, header, entries: { [signatureKey]: entry }, models?: { [wholeModelKey]: entry } }`.
 * `models` (optional, added within version 2: older readers ignore it) holds the whole models the
 * predictor's fit was measured on.
 */
export interface LatencyTableFile {
  readonly format: typeof LATENCY_TABLE_FORMAT;
  readonly version: typeof LATENCY_TABLE_VERSION;
  readonly header: LatencyTableHeader;
  readonly entries: Readonly<Record<string, LatencyEntry>>;
  readonly models?: Readonly<Record<string, WholeModelEntry>>;
}

const pairSchema = { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2 };
/** Fields only some ops have, and which ops need them. */
const opFields = [['activation', 'activation'], ['merge', 'merge'], ['merge', 'inputs'], ['zero-pad', 'pads']] as const;
const positive = { type: 'integer', minimum: 1 };
const millis = { type: 'number', minimum: 0 };
const clock = { enum: ['wall', 'kernel'] };

const fileSchema = {
  type: 'object',
  required: ['format', 'version', 'header', 'entries'],
  properties: {
    format: { const: LATENCY_TABLE_FORMAT },
    version: { type: 'integer' },
    header: {
      type: 'object',
      additionalProperties: false,
      required: ['backend', 'adapter', 'batchSize', 'clock', 'tfjsVersion', 'createdAt', 'machine'],
      properties: {
        backend: { type: 'string', minLength: 1 },
        adapter: { type: ['string', 'null'] },
        batchSize: positive,
        clock,
        tfjsVersion: { type: 'string' },
        createdAt: { type: 'string' },
        machine: { type: 'string' },
      },
    },
    entries: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['signature', 'ms', 'p10', 'p90', 'runs', 'clock'],
        properties: {
          signature: {
            type: 'object',
            additionalProperties: false,
            required: ['op', 'batch', 'cin', 'cout', 'height', 'width', 'kernel', 'stride', 'dilation', 'padding', 'groups', 'multiplier', 'backend', 'adapter'],
            allOf: opFields.map(([op, field]) => ({
              if: { properties: { op: { const: op } } },
              then: { required: [field] },
              else: { not: { required: [field] } },
            })),
            properties: {
              op: { enum: [...LAYER_OPS] },
              batch: positive,
              cin: positive,
              cout: positive,
              height: positive,
              width: positive,
              kernel: pairSchema,
              stride: pairSchema,
              dilation: pairSchema,
              padding: { enum: ['same', 'valid'] },
              groups: positive,
              multiplier: positive,
              backend: { type: 'string', minLength: 1 },
              adapter: { type: ['string', 'null'] },
              activation: { enum: [...ACTIVATION_KINDS] },
              merge: { enum: [...MERGE_KINDS] },
              inputs: { type: 'integer', minimum: 2 },
              pads: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 4, maxItems: 4 },
            },
          },
          ms: millis,
          p10: millis,
          p90: millis,
          runs: positive,
          repeats: positive,
          clock,
          kernelMs: millis,
          wallMs: millis,
        },
      },
    },
    models: {
      type: 'object',
      propertyNames: { pattern: '^model:' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['ms', 'statistic', 'clock', 'runs', 'sites'],
        properties: { ms: millis, statistic: { enum: ['median', 'p10'] }, clock, runs: positive, sites: positive },
      },
    },
  },
} as const;

const validateFile = new Ajv({ allErrors: false, strict: false }).compile(fileSchema);

function describeAjvError(error: ErrorObject | undefined): string {
  if (error === undefined) return 'it does not match the latency table format';
  const where = error.instancePath === '' ? 'the top level' : error.instancePath;
  const detail = error.keyword === 'additionalProperties'
    ? `has unknown property "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"`
    : error.keyword === 'enum' || error.keyword === 'const'
      ? `${error.message ?? 'has a value not allowed'}: ${JSON.stringify((error.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (error.params as { allowedValue?: unknown }).allowedValue)}`
      : (error.message ?? 'is invalid');
  return `${where} ${detail}`;
}

/** The command that builds a table, into a new file: never the path that failed, which may be any file at all. */
export const REBUILD_TABLE_COMMAND = '`whittle profile <model.json> --out <new-table>.json`';

function malformed(source: string, what: string): Error {
  return inputError('LATENCY_TABLE_MALFORMED', `${source}: not a valid latency table: ${what}`,
    `Build a table with ${REBUILD_TABLE_COMMAND} and use that file, or fix this one (format "${LATENCY_TABLE_FORMAT}", version ${LATENCY_TABLE_VERSION}).`);
}

/**
 * Checks parsed JSON against the latency table format and, when `expect` is given, against the
 * target it must have been measured for. Malformed content, an unknown version, entries whose key
 * does not match their signature or header, and a table for another backend/adapter/batch/clock
 * are refused with input errors that name `source` and what differs.
 *
 * ```ts
 * const table = latencyTableFromJson(JSON.parse(text), 'tables/wasm.json', { backend: 'wasm', batchSize: 1 });
 * ```
 */
export function latencyTableFromJson(value: unknown, source: string, expect: LatencyTableExpectation = {}): LatencyTable {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== LATENCY_TABLE_VERSION && (value as { format?: unknown }).format === LATENCY_TABLE_FORMAT) {
    const why = version < LATENCY_TABLE_VERSION
      ? ' (version 1 timed each layer alone with its own read-back and left BatchNorm, activations, merges and pooling out; its times do not mix with version 2 loop timings)'
      : '';
    throw inputError('LATENCY_TABLE_VERSION', `${source}: latency table version ${version}; this Whittle reads version ${LATENCY_TABLE_VERSION}${why}`,
      version > LATENCY_TABLE_VERSION ? 'Upgrade Whittle, or rebuild the table with this version.' : `Rebuild the table with ${REBUILD_TABLE_COMMAND}.`);
  }
  if (!validateFile(value)) throw malformed(source, describeAjvError(validateFile.errors?.[0]));
  const file = value as unknown as LatencyTableFile;
  const differences = headerDifferences(file.header, expect);
  if (differences.length > 0) {
    throw inputError('LATENCY_TABLE_MISMATCH', `${source}: latency table was measured for another target: ${differences.join(', ')}`,
      `Build a table for this target (\`whittle profile <model.json> --out <new file>${expect.batchSize === undefined ? '' : ` --batch ${expect.batchSize}`}${expect.backend === undefined ? '' : ` --backend ${expect.backend}`}\`), or request the table's own target.`);
  }
  const table = new LatencyTable(file.header);
  for (const [key, entry] of Object.entries(file.entries)) {
    const expected = signatureKey(entry.signature);
    if (key !== expected) throw malformed(source, `/entries/${key} holds the signature of "${expected}"`);
    try {
      table.set(entry);
    } catch (error) {
      if (isWhittleError(error)) throw malformed(source, `/entries/${key}: ${error.message.split('\n')[0] ?? ''}`);
      throw error;
    }
  }
  for (const [key, entry] of Object.entries(file.models ?? {})) {
    if (entry.clock !== file.header.clock) throw malformed(source, `/models/${key} was timed with the ${entry.clock} clock; the header says ${file.header.clock}`);
    table.setModel(key, entry);
  }
  return table;
}

/**
 * The JSON object of a table (`JSON.stringify` it, or use `saveLatencyTable`).
 *
 * ```ts
 * const json = JSON.stringify(latencyTableToJson(table), null, 2);
 * ```
 */
export function latencyTableToJson(table: LatencyTable): LatencyTableFile {
  const entries = [...table.entries()].map(([key, entry]) => [key, canonicalEntry(entry)] as const);
  const models = [...table.models()].map(([key, m]) => [key, { ms: m.ms, statistic: m.statistic, clock: m.clock, runs: m.runs, sites: m.sites }] as const);
  return {
    format: LATENCY_TABLE_FORMAT, version: LATENCY_TABLE_VERSION, header: table.header, entries: Object.fromEntries(entries),
    ...(models.length === 0 ? {} : { models: Object.fromEntries(models) }),
  };
}

/** The signature with its fields in a fixed order (op-specific ones last), so that files diff well whatever order the objects were built in. */
function canonicalSignature(s: LayerSignature): LayerSignature {
  const common = {
    batch: s.batch, cin: s.cin, cout: s.cout, height: s.height, width: s.width, kernel: s.kernel, stride: s.stride,
    dilation: s.dilation, padding: s.padding, groups: s.groups, multiplier: s.multiplier, backend: s.backend, adapter: s.adapter,
  };
  switch (s.op) {
    case 'activation':
      return { op: s.op, ...common, activation: s.activation };
    case 'merge':
      return { op: s.op, ...common, merge: s.merge, inputs: s.inputs };
    case 'zero-pad':
      return { op: s.op, ...common, pads: s.pads };
    default:
      return { op: s.op, ...common } as LayerSignature;
  }
}

function canonicalEntry(e: LatencyEntry): LatencyEntry {
  return {
    signature: canonicalSignature(e.signature), ms: e.ms, p10: e.p10, p90: e.p90, runs: e.runs,
    ...(e.repeats === undefined ? {} : { repeats: e.repeats }),
    clock: e.clock,
    ...(e.kernelMs === undefined ? {} : { kernelMs: e.kernelMs }),
    ...(e.wallMs === undefined ? {} : { wallMs: e.wallMs }),
  };
}

/**
 * Parses the bytes of a latency table file (UTF-8 JSON) and checks them as \`latencyTableFromJson\`
 * does; \`source\` names where they came from in errors (a path, a URL, an uploaded file's name).
 *
 * \`\`\`ts
 * const table = latencyTableFromBytes(new TextEncoder().encode(text), 'latency-table.json', { backend: 'webgl' });
 * \`\`\`
 */
export function latencyTableFromBytes(bytes: Uint8Array, source: string, expect: LatencyTableExpectation = {}): LatencyTable {
  // Said by kind and position only: the path may name any file, whose contents are not ours to echo.
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) throw malformed(source, parsed.problem);
  return latencyTableFromJson(parsed.value, source, expect);
}

/**
 * The file's text: JSON, the header indented, one line per entry (small diffs, greppable by key).
 *
 * ```ts
 * await call.ctx.artifacts.writeFile('latency-table.json', latencyTableText(table));
 * ```
 */
export function latencyTableText(table: LatencyTable): string {
  const file = latencyTableToJson(table);
  const header = JSON.stringify(file.header, null, 2).replace(/\n/g, '\n  ');
  const lines = (record: Readonly<Record<string, unknown>>): string => {
    const rows = Object.entries(record).map(([key, entry]) => `    ${JSON.stringify(key)}: ${JSON.stringify(entry)}`);
    return `{${rows.length === 0 ? '' : `\n${rows.join(',\n')}\n  `}}`;
  };
  return `{\n  "format": ${JSON.stringify(file.format)},\n  "version": ${file.version},\n  "header": ${header},\n` +
    `  "entries": ${lines(file.entries)}${file.models === undefined ? '' : `,\n  "models": ${lines(file.models)}`}\n}\n`;
}
