import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { inputError, saysItsKind } from './model-io-error.js';
import { decodeJsonBytes } from './json-text.js';
import { parseModelJson } from './model-json.js';
import { checkGroupBytes } from './weight-bytes.js';

/** File name of the single weight shard that `save` writes next to model.json. */
const WEIGHTS_FILE_NAME = 'weights.bin';

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function readModelJsonText(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw inputError('MODEL_NOT_FOUND', `${path}: no such file`, 'Give the path of a tfjs model.json (saved with model.save or `whittle`).', error);
    if (errnoCode(error) === 'EISDIR') throw inputError('MODEL_NOT_FOUND', `${path} is a folder, not a model.json`, `Try ${join(path, 'model.json')}.`, error);
    throw inputError('MODEL_UNREADABLE', `${path}: cannot be read (${(error as Error).message})`, 'Check the file permissions.', error);
  }
  const decoded = decodeJsonBytes(bytes);
  if (!decoded.ok) throw inputError('MODEL_JSON_ENCODING', `${path}: ${decoded.problem}`, 'A model.json is UTF-8 JSON text; re-save the model, or convert the file to UTF-8.');
  return decoded.text;
}

/**
 * Reads and checks a model.json (encoding, JSON, a buildable LayersModel topology, the weights
 * manifest; see `parseModelJson`) without reading its weights or needing a tfjs backend: a quick
 * refusal of a broken file before slower work starts.
 *
 * ```ts
 * const json = await readModelJson('models/cnn/model.json');
 * ```
 */
export async function readModelJson(modelJsonPath: string): Promise<tf.io.ModelJSON> {
  const path = resolve(modelJsonPath);
  return parseModelJson(await readModelJsonText(path), modelJsonPath, dirname(path));
}

async function readShard(path: string, modelJsonPath: string, modelDir: string): Promise<Uint8Array> {
  try {
    // The manifest's names are checked already; a symlink among the shards could still lead elsewhere.
    const [real, realDir] = await Promise.all([realpath(path), realpath(modelDir)]);
    const rel = relative(realDir, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw inputError(
        'WEIGHTS_PATH_ESCAPES',
        `${modelJsonPath}: weight shard ${path} is a link to ${real}, outside the model's folder`,
        'Copy the shard next to model.json instead of linking to it.',
      );
    }
    return await readFile(real);
  } catch (error) {
    if (saysItsKind(error)) throw error;
    throw inputError(
      'WEIGHTS_SHARD_MISSING',
      `${modelJsonPath}: weight shard ${path} ${errnoCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`}`,
      'Copy every file listed in weightsManifest[].paths next to model.json.',
      error,
    );
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** A fresh ArrayBuffer holding exactly `bytes` (Node's Buffers share a larger pool). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/**
 * A `tf.io.IOHandler` for a model.json on the local file system (tfjs's own `file://` handler lives in
 * tfjs-node, which has no native binary here). `load` validates the file and its shards before tfjs
 * sees them; `save` writes `model.json` and one `weights.bin` at that path (not atomically: use
 * `saveModel` for that). `modelJson`, when given, is that file as `readModelJson` already read and
 * checked it: `load` then reads only the shards.
 *
 * ```ts
 * const model = await tf.loadLayersModel(fileSystemHandler('models/cnn/model.json'));
 * await model.save(fileSystemHandler('/tmp/copy/model.json'));
 * ```
 */
export function fileSystemHandler(modelJsonPath: string, modelJson?: tf.io.ModelJSON): tf.io.IOHandler {
  const path = resolve(modelJsonPath);
  const modelDir = dirname(path);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = modelJson ?? (await readModelJson(modelJsonPath));
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const groups: Uint8Array[] = [];
        for (const group of manifest) {
          const shards = await Promise.all(group.paths.map((p) => readShard(join(modelDir, p), modelJsonPath, modelDir)));
          groups.push(checkGroupBytes(group, concat(shards), modelJsonPath));
          specs.push(...group.weights);
        }
        return [specs, toArrayBuffer(concat(groups))];
      });
    },

    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw inputError('MODEL_FORMAT_UNSUPPORTED', `${modelJsonPath}: binary (GraphDef) topologies cannot be saved here`, 'Save a tf.LayersModel.');
      }
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE_NAME}`], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
      };
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata !== undefined) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await mkdir(modelDir, { recursive: true });
      await writeFile(join(modelDir, WEIGHTS_FILE_NAME), new Uint8Array(weights));
      await writeFile(path, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

