import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloneModel, loadModel, modelArtifacts, modelFromArtifacts, readModelJson, saveModel } from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';

let root: string;
beforeAll(async () => {
  await tf.setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'whittle-io-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function smallModel(): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 2] });
  let h = tf.layers.conv2d({ filters: 3, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: 'ones' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

/** Predicts on a fixed input and returns plain numbers, freeing everything. */
function outputsOf(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.linspace(-1, 1, 2 * 72).reshape([2, 6, 6, 2])) as tf.Tensor).dataSync()));
}

/** A saved model folder to corrupt: returns the model.json path and its parsed JSON. */
async function savedModel(name: string): Promise<{ path: string; json: Record<string, unknown> & { weightsManifest: { paths: string[]; weights: { name: string }[] }[] } }> {
  const model = smallModel();
  const dir = join(root, name);
  await saveModel(model, dir);
  model.dispose();
  const path = join(dir, 'model.json');
  return { path, json: JSON.parse(await readFile(path, 'utf8')) };
}

describe('saveModel / loadModel', () => {
  it('round-trips to the same outputs, writing only model.json and weights.bin', async () => {
    await withoutLeaks(async () => {
      const model = smallModel();
      const dir = join(root, 'round-trip');
      await saveModel(model, dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
      expect((await readdir(root)).filter((f) => f.includes('.tmp-'))).toEqual([]);
      const loaded = await loadModel(join(dir, 'model.json'));
      expect(outputsOf(loaded)).toEqual(outputsOf(model));
      // Saving again replaces the folder.
      await saveModel(loaded, dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
      model.dispose();
      loaded.dispose();
    });
  });

  it('loads with the model.json that readModelJson already read, reading only the shards', async () => {
    await withoutLeaks(async () => {
      const model = smallModel();
      const dir = join(root, 'pre-read');
      await saveModel(model, dir);
      const json = await readModelJson(join(dir, 'model.json'));
      // Gone from the disk: only the given JSON can describe the model now.
      await rm(join(dir, 'model.json'));
      const loaded = await loadModel(join(dir, 'model.json'), json);
      expect(outputsOf(loaded)).toEqual(outputsOf(model));
      await expect(loadModel(join(dir, 'model.json'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
      model.dispose();
      loaded.dispose();
    });
  });

  it('reads weights split over several shards and groups, ignoring trailing bytes of a group', async () => {
    const { path, json } = await savedModel('sharded');
    const dir = join(root, 'sharded');
    const bytes = await readFile(join(dir, 'weights.bin'));
    const group = json.weightsManifest[0]!;
    const firstTwo = 3 * 3 * 2 * 3 * 4 + 3 * 4; // conv kernel + bias, float32
    await writeFile(join(dir, 'a.bin'), bytes.subarray(0, 100));
    await writeFile(join(dir, 'b.bin'), Buffer.concat([bytes.subarray(100, firstTwo), Buffer.from([9, 9, 9, 9])]));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'c.bin'), bytes.subarray(firstTwo));
    json.weightsManifest = [
      { paths: ['a.bin', './b.bin'], weights: group.weights.slice(0, 2) },
      { paths: ['sub/c.bin'], weights: group.weights.slice(2) },
    ];
    await writeFile(path, JSON.stringify(json));
    const loaded = await loadModel(path);
    const original = smallModel();
    expect(outputsOf(loaded)).toEqual(outputsOf(original));
    loaded.dispose();
    original.dispose();
  });

  it('leaves no file behind when saving fails midway, and keeps the previous save', async () => {
    await withoutLeaks(async () => {
      const model = smallModel();
      const dir = join(root, 'fails');
      await saveModel(model, dir);
      const before = await readFile(join(dir, 'weights.bin'));

      // A simulated failure after the files are half written.
      const artifacts = await modelArtifacts(model);
      const spy = vi.spyOn(model, 'save').mockImplementation(async (handler) => {
        await (handler as tf.io.IOHandler).save?.(artifacts);
        throw new Error('disk full');
      });
      await expect(saveModel(model, dir)).rejects.toMatchObject({ code: 'MODEL_SAVE_FAILED', message: expect.stringContaining('disk full') });
      spy.mockRestore();

      // A model whose weights cannot be read.
      const broken = smallModel();
      const killed = broken.layers[1]!.weights[0]!;
      killed.read().dispose();
      await expect(saveModel(broken, join(root, 'never'))).rejects.toMatchObject({ code: 'MODEL_SAVE_FAILED' });
      await expect(saveModel(broken, dir)).rejects.toMatchObject({ code: 'MODEL_SAVE_FAILED' });
      for (const weight of broken.weights) if (weight !== killed) weight.dispose();

      expect((await readdir(root)).filter((f) => f.includes('.tmp-') || f === 'never')).toEqual([]);
      expect(await readFile(join(dir, 'weights.bin'))).toEqual(before);
      model.dispose();
    });
  });
});

describe('loadModel refuses malformed models', () => {
  const rejects = async (path: string, code: string, ...fragments: string[]): Promise<void> => {
    const before = tf.memory().numTensors;
    const error = await loadModel(path).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; kind: string },
    );
    expect(error).toMatchObject({ code, kind: 'input' });
    for (const fragment of [path, ...fragments]) expect(error?.message).toContain(fragment);
    expect(tf.memory().numTensors).toBe(before);
  };

  it('a missing file or a JSON syntax error', async () => {
    await rejects(join(root, 'nothing', 'model.json'), 'MODEL_NOT_FOUND');
    const { path } = await savedModel('syntax');
    await writeFile(path, '{"modelTopology": {');
    await rejects(path, 'MODEL_JSON_SYNTAX', 'not JSON: expected');
  });

  it('a file that is not JSON, without quoting its contents', async () => {
    const { path } = await savedModel('not-json');
    await writeFile(path, 'root:x:0:0:root:/root:/bin/bash\n');
    await rejects(path, 'MODEL_JSON_SYNTAX', 'not JSON: unexpected character at line 1, column 1');
    const error = (await loadModel(path).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('root:x');
  });

  it('a UTF-16 file is named as an encoding problem; a UTF-8 byte-order mark is accepted', async () => {
    const { path } = await savedModel('encoding');
    const text = await readFile(path, 'utf8');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await rejects(path, 'MODEL_JSON_ENCODING', 'UTF-16');
    await writeFile(path, Buffer.from(text, 'utf16le'));
    await rejects(path, 'MODEL_JSON_ENCODING', 'NUL bytes');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const loaded = await loadModel(path);
    loaded.dispose();
  });

  it('an inbound reference to a missing layer, at once (tfjs would loop forever)', async () => {
    const { path, json } = await savedModel('dangling');
    const layers = (json['modelTopology'] as { config: { layers: { name: string; inbound_nodes: unknown[] }[] } }).config.layers;
    const last = layers.at(-1)!;
    last.inbound_nodes = [[['no_such_layer', 0, 0, {}]]];
    await writeFile(path, JSON.stringify(json));
    await rejects(path, 'MODEL_TOPOLOGY_INVALID', `layer "${last.name}"`, '"no_such_layer", which does not exist');
  });

  it('a GraphModel is named as one, without its topology', async () => {
    const { path } = await savedModel('graph-model');
    const graphModel = { format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0', modelTopology: { node: [{ name: 'x', op: 'Placeholder', attr: { secret: 'value' } }], library: {}, versions: {} }, weightsManifest: [] };
    await writeFile(path, JSON.stringify(graphModel));
    await rejects(path, 'MODEL_IS_GRAPH_MODEL', 'is a TensorFlow.js GraphModel', 'tfjs_layers_model');
    const error = (await loadModel(path).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('Placeholder');
  });

  it('missing modelTopology or weightsManifest', async () => {
    const { path, json } = await savedModel('fields');
    await writeFile(path, JSON.stringify({ ...json, modelTopology: undefined }));
    await rejects(path, 'MODEL_JSON_INVALID', 'modelTopology');
    await writeFile(path, JSON.stringify({ ...json, weightsManifest: undefined }));
    await rejects(path, 'MODEL_JSON_INVALID', 'weightsManifest');
  });

  it('weight paths that leave the model folder', async () => {
    const { path, json } = await savedModel('escape');
    for (const bad of ['../weights.bin', '/etc/passwd', 'sub/../../x.bin', 'http://example.com/w.bin', 'file:///etc/passwd', 'C:\\w.bin', '..\\w.bin']) {
      json.weightsManifest[0]!.paths = [bad];
      await writeFile(path, JSON.stringify(json));
      await rejects(path, 'WEIGHTS_PATH_ESCAPES', bad);
    }
  });

  it('a shard that is a symlink to a file outside the model folder', async () => {
    const { path } = await savedModel('symlinked');
    const shard = join(root, 'symlinked', 'weights.bin');
    const outside = join(root, 'outside.bin');
    await writeFile(outside, await readFile(shard));
    await rm(shard);
    await symlink(outside, shard);
    await rejects(path, 'WEIGHTS_PATH_ESCAPES', 'weights.bin', outside);
  });

  it('a shard that is a symlink inside the model folder still loads', async () => {
    const { path } = await savedModel('linked-inside');
    const dir = join(root, 'linked-inside');
    await writeFile(join(dir, 'real.bin'), await readFile(join(dir, 'weights.bin')));
    await rm(join(dir, 'weights.bin'));
    await symlink('real.bin', join(dir, 'weights.bin'));
    const model = await loadModel(path);
    expect(model.layers.length).toBeGreaterThan(0);
    model.dispose();
  });

  it('a missing shard', async () => {
    const { path } = await savedModel('missing-shard');
    await rm(join(root, 'missing-shard', 'weights.bin'));
    await rejects(path, 'WEIGHTS_SHARD_MISSING', 'weights.bin');
  });

  it('a truncated shard, naming the first weight that does not fit', async () => {
    const { path, json } = await savedModel('truncated');
    const shard = join(root, 'truncated', 'weights.bin');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.byteLength - 4));
    const last = json.weightsManifest[0]!.weights.at(-1)!.name;
    await rejects(path, 'WEIGHTS_TRUNCATED', `"${last}"`);
    await writeFile(shard, bytes.subarray(0, 10));
    await rejects(path, 'WEIGHTS_TRUNCATED', `"${json.weightsManifest[0]!.weights[0]!.name}"`);
  });

  it('an unknown layer class, wrapped with the file name', async () => {
    const { path, json } = await savedModel('unknown-class');
    const text = JSON.stringify(json).replace('"class_name":"Dense"', '"class_name":"NoSuchLayer"');
    await writeFile(path, text);
    await rejects(path, 'MODEL_LOAD_FAILED', 'NoSuchLayer');
  });
});

describe('in-memory artifacts', () => {
  it('modelArtifacts → modelFromArtifacts and cloneModel give an independent model with the same outputs', async () => {
    await withoutLeaks(async () => {
      const model = smallModel();
      const expected = outputsOf(model);
      const artifacts = await modelArtifacts(model);
      expect(artifacts.weightData).toBeInstanceOf(ArrayBuffer);
      const rebuilt = await modelFromArtifacts(artifacts);
      const clone = await cloneModel(model);
      expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(clone.layers[1]).not.toBe(model.layers[1]);
      model.dispose();
      expect(outputsOf(rebuilt)).toEqual(expected);
      expect(outputsOf(clone)).toEqual(expected);
      rebuilt.dispose();
      clone.dispose();
    });
  });

  it('keeps an input that no output reads (tfjs would drop it on reload), in order, through clone, save and load', async () => {
    await withoutLeaks(async () => {
      const image = tf.input({ shape: [3], name: 'image' });
      const unused = tf.input({ shape: [2], name: 'label', dtype: 'int32' });
      const step = tf.input({ shape: [1], name: 'step' });
      const y = tf.layers.dense({ units: 2, name: 'head', kernelInitializer: 'ones' }).apply(tf.layers.concatenate().apply([image, step]) as tf.SymbolicTensor) as tf.SymbolicTensor;
      const model = tf.model({ inputs: [image, unused, step], outputs: y, name: 'signature' });
      const path = join(root, 'unused-input');
      await saveModel(model, path);
      const signature = (m: tf.LayersModel) => m.inputs.map((t) => `${t.shape.join(',')}:${t.dtype}`);
      const expected = signature(model);
      expect(expected).toEqual([',3:float32', ',2:int32', ',1:float32']);
      const clone = await cloneModel(model);
      const loaded = await loadModel(join(path, 'model.json'));
      for (const copy of [clone, loaded]) {
        expect(signature(copy)).toEqual(expected);
        expect(copy.inputLayers.map((l) => l.name)).toEqual(['image', 'label', 'step']);
        const out = tf.tidy(() => (copy.predict([tf.ones([1, 3]), tf.zeros([1, 2], 'int32'), tf.ones([1, 1])]) as tf.Tensor).dataSync());
        expect(Array.from(out)).toEqual([4, 4]);
      }
      for (const m of [model, clone, loaded]) m.dispose();
    });
  });

  it('refuses artifacts whose weights do not fit the topology', async () => {
    const model = smallModel();
    const artifacts = await modelArtifacts(model);
    model.dispose();
    await expect(modelFromArtifacts({ ...artifacts, weightSpecs: artifacts.weightSpecs?.slice(1) })).rejects.toMatchObject({ code: 'MODEL_ARTIFACTS_INVALID' });
  });
});
