import type * as tf from '@tensorflow/tfjs';
import { isAbsolute, relative, resolve } from 'node:path';
import { inputError } from './model-io-error.js';
import { parseJsonText } from './json-text.js';
import { isRecord } from './is-record.js';
import { layersTopologyProblem } from './layers-topology.js';

const WEIGHT_DTYPES = new Set(['float32', 'int32', 'bool', 'string', 'complex64']);
const QUANTIZED_DTYPES = new Set(['uint8', 'uint16', 'float16']);

function invalid(source: string, what: string, hint: string): Error {
  return inputError('MODEL_JSON_INVALID', `${source}: ${what}`, hint);
}

/**
 * True when a shard path would read outside the model's folder: a URL or drive letter, an absolute
 * path, or any `..` segment (refused even when it would come back inside, to keep the rule simple).
 *
 * ```ts
 * weightPathEscapes('group1-shard1of2.bin', 'models/cnn'); // false
 * weightPathEscapes('../secrets.bin', 'models/cnn');       // true
 * ```
 */
function weightPathEscapes(path: string, modelDir: string): boolean {
  if (path === '' || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) || path.startsWith('/') || path.startsWith('\\') || isAbsolute(path)) return true;
  if (path.split(/[\\/]/).includes('..')) return true;
  const rel = relative(modelDir, resolve(modelDir, path));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel);
}

function checkEntry(entry: unknown, where: string, source: string): void {
  if (!isRecord(entry) || typeof entry['name'] !== 'string') {
    throw invalid(source, `${where} is not a weight entry with a "name"`, 'Each weight entry needs "name", "shape" and "dtype".');
  }
  const name = entry['name'];
  const shape = entry['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw invalid(source, `weight "${name}" (${where}) has shape ${JSON.stringify(shape)}`, 'A shape is an array of non-negative integers.');
  }
  if (typeof entry['dtype'] !== 'string' || !WEIGHT_DTYPES.has(entry['dtype'])) {
    throw invalid(source, `weight "${name}" (${where}) has dtype ${JSON.stringify(entry['dtype'])}`, `Use one of ${[...WEIGHT_DTYPES].join(', ')}.`);
  }
  const quantization = entry['quantization'];
  if (quantization !== undefined && (!isRecord(quantization) || !QUANTIZED_DTYPES.has(String(quantization['dtype'])))) {
    throw invalid(source, `weight "${name}" (${where}) has quantization ${JSON.stringify(quantization)}`, `quantization.dtype is one of ${[...QUANTIZED_DTYPES].join(', ')}.`);
  }
}

/**
 * Parses and checks the text of a TensorFlow.js `model.json`: JSON syntax (said without quoting the
 * file), a LayersModel (not a GraphModel) `modelTopology` that tfjs can build (see
 * `layersTopologyProblem`), a well-formed `weightsManifest`, and shard paths that stay inside `modelDir`.
 * Every problem is an input error naming `source`.
 *
 * ```ts
 * const json = parseModelJson(await readFile('model/model.json', 'utf8'), 'model/model.json', 'model');
 * ```
 */
export function parseModelJson(text: string, source: string, modelDir: string): tf.io.ModelJSON {
  const result = parseJsonText(text);
  if (!result.ok) throw inputError('MODEL_JSON_SYNTAX', `${source}: ${result.problem}`, 'Give the path of a tfjs model.json (saved with model.save or `whittle`); re-save the model if this is one.');
  const parsed = result.value;
  if (!isRecord(parsed)) throw invalid(source, 'the top level is not an object', 'A model.json is an object with "modelTopology" and "weightsManifest".');
  const topology = parsed['modelTopology'];
  if (parsed['format'] === 'graph-model' || (isRecord(topology) && Array.isArray(topology['node']))) {
    throw inputError(
      'MODEL_IS_GRAPH_MODEL',
      `${source}: is a TensorFlow.js GraphModel (format "graph-model"), not a LayersModel`,
      'Whittle edits LayersModels (Keras layers and their weights); a GraphModel is a frozen graph of ops. Convert the original Keras model with `tensorflowjs_converter --input_format keras --output_format tfjs_layers_model`, or save a tf.LayersModel with model.save().',
    );
  }
  if (!isRecord(topology)) {
    throw invalid(source, 'has no "modelTopology" object', 'Is this a weights-only file or a Keras .json? Whittle needs a tfjs LayersModel saved with model.save().');
  }
  const problem = layersTopologyProblem(topology);
  if (problem !== undefined) {
    throw inputError('MODEL_TOPOLOGY_INVALID', `${source}: ${problem}`, 'The model.json is damaged or was edited by hand: every inbound_nodes entry, input and output must name a layer of the same model, once. Re-save the model.');
  }
  const manifest = parsed['weightsManifest'];
  if (!Array.isArray(manifest)) {
    throw invalid(source, 'has no "weightsManifest" array', 'Save the model with its weights (model.save writes both).');
  }
  manifest.forEach((group: unknown, g) => {
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw invalid(source, `weightsManifest[${g}] needs "paths" and "weights" arrays`, 'Each manifest group lists its shard files and the weights stored in them.');
    }
    group['paths'].forEach((path: unknown, p) => {
      if (typeof path !== 'string') throw invalid(source, `weightsManifest[${g}].paths[${p}] is not a string`, 'Shard paths are file names next to model.json.');
      if (weightPathEscapes(path, modelDir)) {
        throw inputError(
          'WEIGHTS_PATH_ESCAPES',
          `${source}: weight path "${path}" (weightsManifest[${g}].paths[${p}]) leaves the model's folder`,
          'Keep weight shards next to model.json and name them by relative paths without "..", "/" at the start or a URL scheme.',
        );
      }
    });
    group['weights'].forEach((entry: unknown, w) => checkEntry(entry, `weightsManifest[${g}].weights[${w}]`, source));
  });
  return parsed as unknown as tf.io.ModelJSON;
}
