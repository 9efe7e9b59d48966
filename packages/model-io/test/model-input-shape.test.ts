import * as tf from '@tensorflow/tfjs';
import { TempDir, withoutLeaks } from '@whittle/testing';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { modelInputShape, readModelJson, saveModel } from '../src/index.js';

let t: TempDir;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => (t = new TempDir('whittle-input-shape-')));
afterEach(() => t.cleanup());

it('reads [h, w, c] of a functional and a sequential model, and nothing from a model without a fixed image input', async () => {
  await withoutLeaks(async () => {
    const input = tf.input({ shape: [8, 7, 3] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor });
    const sequential = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [6, 5, 1], filters: 2, kernelSize: 3 })] });
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    await saveModel(functional, t.path('functional'));
    await saveModel(sequential, t.path('sequential'));
    await saveModel(dense, t.path('dense'));
    for (const model of [functional, sequential, dense]) model.dispose();
  });
  expect(modelInputShape(await readModelJson(t.path('functional', 'model.json')))).toEqual([8, 7, 3]);
  expect(modelInputShape(await readModelJson(t.path('sequential', 'model.json')))).toEqual([6, 5, 1]);
  expect(modelInputShape(await readModelJson(t.path('dense', 'model.json')))).toBeUndefined();
});
