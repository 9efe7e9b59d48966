import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * A plain `tf.io.IOHandler` for a model.json on disk — LayersModel or GraphModel — that does what
 * tfjs-node's `file://` handler does: parse the JSON and hand it, with the concatenated shards of
 * every group, to tfjs's own `tf.io.getModelArtifactsForJSON`. No checks of its own: use it to see
 * what a stock loader makes of a folder (`readModelFolder` is the checking reader).
 *
 * ```ts
 * const model = await tf.loadGraphModel(modelFolderHandler('web/model.json'));
 * ```
 */
export function modelFolderHandler(modelJsonPath: string): tf.io.IOHandler {
  const path = resolve(modelJsonPath);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readFile(join(dirname(path), p))));
        const data = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
        let at = 0;
        for (const shard of shards) {
          data.set(shard, at);
          at += shard.byteLength;
        }
        return [specs, data.buffer];
      });
    },
  };
}
