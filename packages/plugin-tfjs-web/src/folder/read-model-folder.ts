import type * as tf from '@tensorflow/tfjs';
import { inputError, isWhittleError } from '@whittle/kernel';
import { parseJsonBytes } from '@whittle/model-io';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { entryByteLength } from '../quantize/weight-entry-bytes.js';
import { modelFormatOf, type ModelFolder } from './model-folder.js';

const WEIGHT_DTYPES = new Set(['float32', 'int32', 'bool', 'string', 'complex64']);
const QUANTIZED = new Set(['uint8', 'uint16', 'float16']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(source: string, what: string, hint: string): Error {
  return inputError('MODEL_JSON_INVALID', `${source}: ${what}`, hint);
}

function checkEntry(entry: unknown, where: string, source: string): tf.io.WeightsManifestEntry {
  if (!isRecord(entry) || typeof entry['name'] !== 'string') throw bad(source, `${where} is not a weight entry with a "name"`, 'Each weight entry needs "name", "shape" and "dtype".');
  const name = entry['name'];
  const shape = entry['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw bad(source, `weight "${name}" (${where}) has shape ${JSON.stringify(shape)}`, 'A shape is an array of non-negative integers.');
  }
  if (typeof entry['dtype'] !== 'string' || !WEIGHT_DTYPES.has(entry['dtype'])) {
    throw bad(source, `weight "${name}" (${where}) has dtype ${JSON.stringify(entry['dtype'])}`, `Use one of ${[...WEIGHT_DTYPES].join(', ')}.`);
  }
  const q = entry['quantization'];
  if (q !== undefined) {
    if (!isRecord(q) || !QUANTIZED.has(String(q['dtype']))) {
      throw bad(source, `weight "${name}" (${where}) has quantization ${JSON.stringify(q)}`, `quantization.dtype is one of ${[...QUANTIZED].join(', ')}.`);
    }
    if (q['dtype'] !== 'float16' && (typeof q['scale'] !== 'number' || typeof q['min'] !== 'number')) {
      throw bad(source, `weight "${name}" (${where}) is ${String(q['dtype'])}-quantized without numeric "scale" and "min"`, 'Affine quantization needs both; re-convert the model.');
    }
  }
  return entry as unknown as tf.io.WeightsManifestEntry;
}

/** A shard path that would read outside the model's folder: a URL, an absolute path or any `..`. */
function escapes(path: string): boolean {
  return path === '' || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) || path.startsWith('/') || path.startsWith('\\') || isAbsolute(path) || path.split(/[\\/]/).includes('..');
}

async function readModelJsonBytes(path: string, given: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw inputError('MODEL_NOT_FOUND', `${given} is a folder, not a model.json`, `Try ${join(given, 'model.json')}.`);
    return await readFile(path);
  } catch (error) {
    if (isWhittleError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw inputError('MODEL_NOT_FOUND', `${given}: no such file`, 'Give the path of a tfjs model.json (a LayersModel or a GraphModel).', error);
    throw inputError('MODEL_UNREADABLE', `${given}: cannot be read (${(error as Error).message})`, 'Check the file permissions.', error);
  }
}

async function readShard(dir: string, path: string, source: string): Promise<Uint8Array> {
  const full = join(dir, path);
  try {
    const [real, realDir] = await Promise.all([realpath(full), realpath(dir)]);
    const rel = relative(realDir, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw inputError('WEIGHTS_PATH_ESCAPES', `${source}: weight shard ${full} is a link to ${real}, outside the model's folder`, 'Copy the shard next to model.json instead of linking to it.');
    }
    return await readFile(real);
  } catch (error) {
    if (isWhittleError(error)) throw error;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw inputError('WEIGHTS_SHARD_MISSING', `${source}: weight shard ${full} ${missing ? 'does not exist' : `cannot be read (${(error as Error).message})`}`, 'Copy every file listed in weightsManifest[].paths next to model.json.', error);
  }
}

/**
 * Reads a model.json and its weight shards — a LayersModel or a GraphModel, float32 or already
 * quantized — and checks them as a loader would: JSON, a topology, a well-formed manifest, shard
 * paths inside the folder, shards that hold every weight. Every problem is an input error naming
 * the file. No tfjs backend is needed.
 *
 * ```ts
 * const folder = await readModelFolder('models/mobilenet/model.json');
 * folder.format; // 'graph-model'
 * ```
 */
export async function readModelFolder(modelJsonPath: string): Promise<ModelFolder> {
  const path = resolve(modelJsonPath);
  const source = modelJsonPath;
  const bytes = await readModelJsonBytes(path, modelJsonPath);
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) throw inputError('MODEL_JSON_SYNTAX', `${source}: ${parsed.problem}`, 'Give the path of a tfjs model.json (written by model.save or tensorflowjs_converter).');
  const json = parsed.value;
  if (!isRecord(json)) throw bad(source, 'the top level is not an object', 'A model.json is an object with "modelTopology" and "weightsManifest".');
  if (!isRecord(json['modelTopology'])) throw bad(source, 'has no "modelTopology" object', 'Is this a weights-only manifest or a Keras .json? Give a tfjs model.json with its topology.');
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) throw bad(source, 'has no "weightsManifest" array', 'Save or convert the model with its weights.');
  const dir = dirname(path);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const groups: Uint8Array[] = [];
  let weightBytes = 0;
  for (const [g, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw bad(source, `weightsManifest[${g}] needs "paths" and "weights" arrays`, 'Each manifest group lists its shard files and the weights stored in them.');
    }
    const paths = group['paths'].map((p: unknown, i) => {
      if (typeof p !== 'string') throw bad(source, `weightsManifest[${g}].paths[${i}] is not a string`, 'Shard paths are file names next to model.json.');
      if (escapes(p)) throw inputError('WEIGHTS_PATH_ESCAPES', `${source}: weight path "${p}" (weightsManifest[${g}].paths[${i}]) leaves the model's folder`, 'Keep shards next to model.json, named by relative paths without "..", a leading "/" or a URL scheme.');
      return p;
    });
    const entries = group['weights'].map((e: unknown, w) => checkEntry(e, `weightsManifest[${g}].weights[${w}]`, source));
    const shards = await Promise.all(paths.map((p) => readShard(dir, p, source)));
    const data = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
    let at = 0;
    for (const shard of shards) {
      data.set(shard, at);
      at += shard.byteLength;
    }
    weightBytes += data.byteLength;
    let offset = 0;
    for (const entry of entries) {
      const size = entryByteLength(entry, data, offset);
      if (size === undefined) {
        throw inputError('WEIGHTS_TRUNCATED', `${source}: weight "${entry.name}" needs more than the ${data.byteLength - offset} bytes left in shards ${paths.join(', ')}`, 'The weight files are cut short: copy or download them again.');
      }
      offset += size;
    }
    groups.push(data.subarray(0, offset));
    specs.push(...entries);
  }
  const data = new Uint8Array(groups.reduce((n, s) => n + s.byteLength, 0));
  let at = 0;
  for (const group of groups) {
    data.set(group, at);
    at += group.byteLength;
  }
  const { weightsManifest: _manifest, ...rest } = json;
  return { source, format: modelFormatOf(rest), json: rest, weights: { specs, data }, modelJsonBytes: bytes.byteLength, weightBytes };
}
