import * as tf from '@tensorflow/tfjs';
import { errorOf, TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareLayersModels, modelFolderHandler, quantizeModelFolder } from '../../src/index.js';
import { savedTestModel, testModel } from '../helpers/test-model.js';

const temp = new TempDir('whittle-web-quantize-');
let model: tf.LayersModel;
let input: string;
let x: tf.Tensor;

beforeAll(async () => {
  await useWasm();
  model = testModel();
  input = await savedTestModel(temp.path('float32'), model);
  x = tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 7);
});
afterAll(() => {
  model.dispose();
  x.dispose();
  temp.cleanup();
});

/** Relative output error each dtype must stay under on this model (uint8: 256 levels per tensor). */
const BOUNDS = { uint8: 0.05, uint16: 2e-4, float16: 2e-3 } as const;

describe('quantizeModelFolder on a LayersModel', () => {
  it.each(['uint8', 'uint16', 'float16'] as const)('%s: stock tf.loadLayersModel loads it, weights within half a step, outputs within the quantization error', async (dtype) => {
    const out = temp.path(`q-${dtype}`);
    const report = await quantizeModelFolder(input, out, { dtype });
    expect(report.format).toBe('layers-model');
    expect(report.skipped).toEqual([]);
    const factor = dtype === 'uint8' ? 4 : 2;
    expect(report.weightRatio).toBeCloseTo(factor, 5);
    expect(report.after.weightBytes).toBe(report.before.weightBytes / factor);
    expect(report.after.weightBytes).toBe(readdirSync(out).filter((f) => f.endsWith('.bin')).reduce((n, f) => n + statSync(`${out}/${f}`).size, 0));
    expect(report.after.modelJsonBytes).toBe(statSync(`${out}/model.json`).size);
    await withoutLeaks(async () => {
      const loaded = await tf.loadLayersModel(modelFolderHandler(`${out}/model.json`));
      // Every weight the stock loader decoded is within the step of its tensor (float16: 2^-11 relative).
      const original = model.getWeights();
      const decoded = loaded.getWeights();
      const manifest = (JSON.parse(readFileSync(`${out}/model.json`, 'utf8')) as tf.io.ModelJSON).weightsManifest[0]!.weights;
      for (const [i, w] of original.entries()) {
        const [a, b] = [w.dataSync(), decoded[i]!.dataSync()];
        const spec = manifest[i]!;
        const step = spec.quantization?.scale;
        for (let j = 0; j < a.length; j++) {
          const bound = step === undefined ? Math.abs(a[j]!) * 2 ** -11 + 1e-7 : step / 2 + 1e-6;
          expect(Math.abs(b[j]! - a[j]!), `${spec.name}[${j}]`).toBeLessThanOrEqual(bound);
          if (a[j] === 0) expect(b[j] === 0, `${spec.name}[${j}] was 0, decoded ${b[j]}`).toBe(true);
        }
      }
      const error = await compareLayersModels(model, loaded, x);
      expect(error.relative).toBeLessThan(BOUNDS[dtype]);
      expect(error.maxAbs).toBeGreaterThan(0);
      loaded.dispose();
    });
  });

  it('the first conv of the test model is a quarter zeros, and they stay exactly 0', async () => {
    const out = temp.path('zeros');
    await quantizeModelFolder(input, out, { dtype: 'uint8' });
    const loaded = await tf.loadLayersModel(modelFolderHandler(`${out}/model.json`));
    const [a, b] = [model.weights[0]!.read().dataSync(), loaded.weights[0]!.read().dataSync()];
    const zeros = [...a.keys()].filter((i) => a[i] === 0);
    expect(zeros.length).toBeGreaterThan(a.length / 8);
    for (const i of zeros) expect(b[i] === 0, `element ${i}: ${b[i]}`).toBe(true);
    loaded.dispose();
  });

  it('skip patterns and minElements keep weights float32, byte for byte, and say why', async () => {
    const out = temp.path('skip');
    const report = await quantizeModelFolder(input, out, { dtype: 'uint8', skip: ['*bias', '**/moving_variance'], minElements: 20 });
    const reasons = new Map(report.skipped.map((s) => [s.name, s.reason]));
    const names = model.weights.map((w) => w.originalName);
    for (const name of names) {
      const size = model.weights.find((w) => w.originalName === name)!.read().size;
      const expected = name.endsWith('bias') || name.endsWith('moving_variance') ? 'pattern' : size < 20 ? 'small' : undefined;
      expect(reasons.get(name), name).toBe(expected);
    }
    const manifest = (JSON.parse(readFileSync(`${out}/model.json`, 'utf8')) as tf.io.ModelJSON).weightsManifest[0]!.weights;
    expect(manifest.filter((e) => reasons.has(e.name)).every((e) => e.quantization === undefined)).toBe(true);
    const loaded = await tf.loadLayersModel(modelFolderHandler(`${out}/model.json`));
    for (const [i, w] of model.weights.entries()) {
      if (reasons.has(w.originalName)) expect(Array.from(loaded.weights[i]!.read().dataSync())).toEqual(Array.from(w.read().dataSync()));
    }
    loaded.dispose();
  });

  it('cuts shards at shardBytes like the converter, and stock loaders join them', async () => {
    const out = temp.path('shards');
    const report = await quantizeModelFolder(input, out, { dtype: 'uint8', shardBytes: 1000 });
    const shards = report.files.slice(1);
    expect(shards.length).toBe(Math.ceil(report.after.weightBytes / 1000));
    expect(shards[0]).toBe(`group1-shard1of${shards.length}.bin`);
    expect(statSync(`${out}/${shards[0]!}`).size).toBe(1000);
    const loaded = await tf.loadLayersModel(modelFolderHandler(`${out}/model.json`));
    const error = await compareLayersModels(model, loaded, x);
    expect(error.relative).toBeLessThan(BOUNDS.uint8);
    loaded.dispose();
  });

  it('keeps model.json\'s other keys (format, generatedBy, trainingConfig…)', async () => {
    const out = temp.path('keys');
    await quantizeModelFolder(input, out, { dtype: 'float16' });
    const [a, b] = [JSON.parse(readFileSync(input, 'utf8')) as Record<string, unknown>, JSON.parse(readFileSync(`${out}/model.json`, 'utf8')) as Record<string, unknown>];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(b['modelTopology']).toEqual(a['modelTopology']);
  });
});

describe('quantizeModelFolder refuses bad input, touching nothing', () => {
  it('a missing model, a folder, a non-JSON file', async () => {
    expect((await errorOf(() => quantizeModelFolder(temp.path('nope/model.json'), temp.path('o1'), { dtype: 'uint8' }))).code).toBe('MODEL_NOT_FOUND');
    expect((await errorOf(() => quantizeModelFolder(temp.path('float32'), temp.path('o1'), { dtype: 'uint8' }))).message).toMatch(/is a folder, not a model\.json/);
    const junk = temp.write('junk/model.json', 'not json {');
    expect((await errorOf(() => quantizeModelFolder(junk, temp.path('o1'), { dtype: 'uint8' }))).code).toBe('MODEL_JSON_SYNTAX');
    expect(existsSync(temp.path('o1'))).toBe(false);
  });

  it('a truncated or missing shard names the weight or the file, and no output folder appears', async () => {
    const json = readFileSync(input, 'utf8');
    const bytes = readFileSync(temp.path('float32/weights.bin'));
    temp.write('cut/model.json', json);
    temp.write('cut/weights.bin', bytes.subarray(0, bytes.byteLength - 10));
    const cut = await errorOf(() => quantizeModelFolder(temp.path('cut/model.json'), temp.path('o2'), { dtype: 'uint8' }));
    expect(cut.code).toBe('WEIGHTS_TRUNCATED');
    expect(cut.message).toMatch(/weight ".+" needs more than/);
    temp.write('noshard/model.json', json);
    expect((await errorOf(() => quantizeModelFolder(temp.path('noshard/model.json'), temp.path('o2'), { dtype: 'uint8' }))).code).toBe('WEIGHTS_SHARD_MISSING');
    const escaping = JSON.parse(json) as tf.io.ModelJSON;
    escaping.weightsManifest[0]!.paths = ['../float32/weights.bin'];
    temp.write('escape/model.json', JSON.stringify(escaping));
    expect((await errorOf(() => quantizeModelFolder(temp.path('escape/model.json'), temp.path('o2'), { dtype: 'uint8' }))).code).toBe('WEIGHTS_PATH_ESCAPES');
    expect(existsSync(temp.path('o2'))).toBe(false);
  });

  it('bad options: dtype, shardBytes, minElements, an empty pattern', async () => {
    expect((await errorOf(() => quantizeModelFolder(input, temp.path('o3'), { dtype: 'int4' as 'uint8' }))).code).toBe('QUANTIZE_DTYPE');
    expect((await errorOf(() => quantizeModelFolder(input, temp.path('o3'), { dtype: 'uint8', shardBytes: 0 }))).code).toBe('QUANTIZE_SHARD_BYTES');
    expect((await errorOf(() => quantizeModelFolder(input, temp.path('o3'), { dtype: 'uint8', minElements: -1 }))).code).toBe('QUANTIZE_MIN_ELEMENTS');
    expect((await errorOf(() => quantizeModelFolder(input, temp.path('o3'), { dtype: 'uint8', skip: [''] }))).code).toBe('QUANTIZE_SKIP_PATTERN');
    expect(existsSync(temp.path('o3'))).toBe(false);
  });

  it('never writes into a folder that holds files (the input\'s own folder included), nor over a file', async () => {
    const before = readFileSync(input);
    const own = await errorOf(() => quantizeModelFolder(input, temp.path('float32'), { dtype: 'uint8' }));
    expect(own.code).toBe('OUTPUT_NOT_EMPTY');
    expect(own.message).toMatch(/among them the input model/);
    expect(readFileSync(input)).toEqual(before);
    temp.write('taken/notes.txt', 'mine');
    expect((await errorOf(() => quantizeModelFolder(input, temp.path('taken'), { dtype: 'uint8' }))).code).toBe('OUTPUT_NOT_EMPTY');
    expect(readdirSync(temp.path('taken'))).toEqual(['notes.txt']);
    const file = temp.write('afile', 'x');
    expect((await errorOf(() => quantizeModelFolder(input, file, { dtype: 'uint8' }))).code).toBe('OUTPUT_NOT_A_FOLDER');
    writeFileSync(file, 'x');
  });

  it('an empty output folder is filled, and no temporary folder is left beside it', async () => {
    temp.write('empty/.keep', '');
    await errorOf(() => quantizeModelFolder(input, temp.path('empty'), { dtype: 'uint8' }));
    const out = temp.path('fresh');
    await quantizeModelFolder(input, out, { dtype: 'uint8' });
    expect(readdirSync(temp.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
