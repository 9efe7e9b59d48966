import * as tf from '@tensorflow/tfjs';
import { runStage, type ClassificationSplits } from '@whittle/kernel';
import metrics from '@whittle/metrics';
import { TempDir, useWasm } from '@whittle/testing';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderHandler, webQuantizedDtype, WebQuantizePlugin } from '../../src/index.js';
import { testModel } from '../helpers/test-model.js';

const manifests = [metrics];
const temp = new TempDir('whittle-web-stage-');
let model: tf.LayersModel;

beforeAll(async () => {
  await useWasm();
  model = testModel(3);
});
afterAll(() => {
  model.dispose();
  temp.cleanup();
});

/** 40 examples labelled by the float32 model itself, so its accuracy is 1 and any drop is the quantization's. */
function selfLabelled(): ClassificationSplits {
  const x = tf.randomUniform([40, 32, 32, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
  const y = tf.tidy(() => tf.oneHot(tf.argMax(model.predict(x) as tf.Tensor, -1), 10).toFloat()) as tf.Tensor2D;
  return { name: 'self-labelled', task: 'classification', train: { x, y }, validation: { x, y }, numClasses: 10, inputShape: [32, 32, 3], dispose: () => tf.dispose([x, y]) };
}

describe('web-quantize stage', () => {
  it('returns the model as the stock loader decodes the quantized weights, and records bytes and output error; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const { value: quantized, metrics: record } = await runStage(WebQuantizePlugin, { model, manifests, options: { dtype: 'uint8' } });
    expect(quantized).not.toBe(model);
    expect(record).toMatchObject({ dtype: 'uint8', skippedTensors: 0, outputErrorOn: 'uniform-noise', outputErrorExamples: 32 });
    expect(record['weightRatio']).toBeCloseTo(4, 6);
    expect(record['totalRatio']).toBeGreaterThan(1.5);
    expect(record['totalRatio']).toBeLessThan(4);
    expect(record['outputMaxAbsError']).toBeGreaterThan(0);
    expect(record['outputRelativeError']).toBeLessThan(0.05);
    // Each weight is on its tensor's uint8 grid: at most 256 distinct values, zeros exact.
    for (const [i, w] of quantized.weights.entries()) {
      const values = w.read().dataSync();
      expect(new Set(values).size).toBeLessThanOrEqual(256);
      const original = model.weights[i]!.read().dataSync();
      original.forEach((v, j) => v === 0 && expect(values[j] === 0).toBe(true));
    }
    quantized.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with data: the task\'s metrics before and after, the output error on the evaluation split', async () => {
    const data = selfLabelled();
    const { value: quantized, metrics: record } = await runStage(WebQuantizePlugin, { model, data, manifests, options: { dtype: 'uint16', examples: 16 } });
    expect(record['accuracyBefore']).toBe(1);
    expect(record['accuracyAfter']).toBeGreaterThanOrEqual(0.95);
    expect(record).toMatchObject({ outputErrorOn: 'evaluation-split', outputErrorExamples: 16 });
    expect(record['outputRelativeError']).toBeLessThan(1e-3);
    quantized.dispose();
    data.dispose();
  });

  it('`out` writes the quantized folder, which the stock loader reads to the same weights; skip rules apply', async () => {
    const outDir = temp.path('run');
    const { value: quantized, metrics: record } = await runStage(WebQuantizePlugin, { model, outDir, manifests, options: { dtype: 'float16', out: 'web', skip: ['*bias'], minElements: 9 } });
    expect(record['skippedTensors']).toBe(model.weights.filter((w) => w.originalName.endsWith('bias') || w.read().size < 9).length);
    const modelJson = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith(join('web', 'model.json')));
    expect(modelJson).toBeDefined();
    const loaded = await tf.loadLayersModel(modelFolderHandler(join(outDir, modelJson!)));
    for (const [i, w] of loaded.weights.entries()) expect(Array.from(w.read().dataSync())).toEqual(Array.from(quantized.weights[i]!.read().dataSync()));
    loaded.dispose();
    quantized.dispose();
  });

  it('rejects an unknown dtype in its options', async () => {
    await expect(runStage(WebQuantizePlugin, { model, manifests, options: { dtype: 'int4' } })).rejects.toThrow(/dtype/);
  });
});

describe('webQuantizedDtype', () => {
  it('reads the dtype a web-quantize stage set in the precision table', () => {
    expect(webQuantizedDtype(new Map())).toBeUndefined();
    expect(webQuantizedDtype(new Map([['conv', { weightBits: 4, scheme: 'n3h-int4' }]]))).toBeUndefined();
    expect(webQuantizedDtype(new Map([['a', { weightBits: 8, scheme: 'tfjs-web-uint8' }], ['b', { weightBits: 8, scheme: 'tfjs-web-uint8' }], ['c', { weightBits: 16, scheme: 'tfjs-web-float16' }]]))).toBe('uint8');
  });
});
