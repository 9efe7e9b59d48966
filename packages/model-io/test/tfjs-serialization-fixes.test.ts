import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import '../src/index.js';
import { cloneModel } from '../src/model-artifacts.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

it('a SeparableConv2D with depth multiplier 2 survives a round trip through its own model.json', async () => {
  const before = tf.memory().numTensors;
  const input = tf.input({ shape: [6, 6, 3] });
  const output = tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, name: 'sep' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const copy = await cloneModel(model);
  const x = tf.randomNormal([1, 6, 6, 3], 0, 1, 'float32', 3);
  const [a, b] = [model.predict(x) as tf.Tensor, copy.predict(x) as tf.Tensor];
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([x, a, b]);
  model.dispose();
  copy.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
