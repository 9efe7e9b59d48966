import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  kerasInceptionV3Artifacts, kerasInceptionV3ModelJson, kerasMobileNetV2Artifacts, kerasMobileNetV2ModelJson, type KerasModelJson,
} from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';

interface LayerJson { class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }

const layersOf = (json: KerasModelJson): LayerJson[] =>
  ((json.modelTopology['model_config'] as { config: { layers: LayerJson[] } }).config.layers);
const layerNamed = (json: KerasModelJson, name: string): LayerJson => {
  const layer = layersOf(json).find((l) => l.name === name);
  if (layer === undefined) throw new Error(`no layer ${name}`);
  return layer;
};

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('Keras MobileNetV2 (tf.keras 1.15 dialect)', () => {
  const json = kerasMobileNetV2ModelJson();

  it('writes model.json the way the converter does', () => {
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe('keras v2.2.4-tf');
    expect(json.convertedBy).toMatch(/^TensorFlow\.js Converter v/);
    expect(json.modelTopology['keras_version']).toBe('2.2.4-tf');
    expect((json.modelTopology['model_config'] as { class_name: string }).class_name).toBe('Model');
    expect(layerNamed(json, 'input_1').config['batch_input_shape']).toEqual([null, 224, 224, 3]);
    expect(layerNamed(json, 'Conv1_pad').class_name).toBe('ZeroPadding2D');
    expect(layerNamed(json, 'Conv1_relu').config).toMatchObject({ max_value: 6 });
    expect(layerNamed(json, 'block_16_project_BN').config).toMatchObject({ axis: -1, momentum: 0.999, epsilon: 0.001 });
    expect(layerNamed(json, 'block_2_add').inbound_nodes).toEqual([[['block_1_project_BN', 0, 0, {}], ['block_2_project_BN', 0, 0, {}]]]);
    expect(layersOf(json).filter((l) => l.class_name === 'Add')).toHaveLength(10);
    // 3,538,984 float32 weights = 14.2 MB, so four 4 MiB shards.
    expect(json.weightsManifest[0]?.paths).toEqual(['group1-shard1of4.bin', 'group1-shard2of4.bin', 'group1-shard3of4.bin', 'group1-shard4of4.bin']);
    expect(JSON.stringify(json).length).toBeLessThan(300_000);
  });

  it('loads with tf.loadLayersModel and predicts a batch of one', async () => {
    await withoutLeaks(async () => {
      const model = await tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts(0)));
      expect(model.countParams()).toBe(3_538_984); // keras.applications.MobileNetV2().count_params()
      expect(model.layers).toHaveLength(157);
      expect(model.getLayer('block_13_pad').outputShape).toEqual([null, 15, 15, 576]);
      const input = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 7);
      const probabilities = model.predict(input) as tf.Tensor;
      expect(probabilities.shape).toEqual([1, 1000]);
      const values = Array.from(await probabilities.data());
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      tf.dispose([input, probabilities]);
      model.dispose();
    });
  });

  it('draws weights from the seed', () => {
    const bytes = (seed: number): Float32Array => new Float32Array(kerasMobileNetV2Artifacts(seed).weightData as ArrayBuffer);
    const [a, b, c] = [bytes(3), bytes(3), bytes(4)];
    expect(a.length).toBe(3_538_984);
    expect(a.every((v, i) => v === b[i])).toBe(true);
    expect(a.some((v, i) => v !== c[i])).toBe(true);
  });
});

describe('Keras InceptionV3 (Keras 2.4 dialect)', () => {
  const json = kerasInceptionV3ModelJson();

  it('writes model.json the way the converter does', () => {
    expect(json.generatedBy).toBe('keras v2.4.0');
    expect((json.modelTopology['model_config'] as { class_name: string }).class_name).toBe('Functional');
    expect(layerNamed(json, 'input_1').config).toMatchObject({ batch_input_shape: [null, 299, 299, 3], ragged: false });
    expect(layersOf(json).filter((l) => l.class_name === 'Conv2D')).toHaveLength(94);
    expect(layerNamed(json, 'conv2d_93').config).toMatchObject({ use_bias: false, groups: 1 });
    expect(layerNamed(json, 'batch_normalization').config).toMatchObject({ axis: [3], scale: false });
    expect(json.weightsManifest[0]?.weights.filter((w) => w.name.startsWith('batch_normalization/')).map((w) => w.name))
      .toEqual(['batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance']);
    expect(layersOf(json).filter((l) => /^mixed\d+$/.test(l.name)).map((l) => l.name)).toEqual(Array.from({ length: 11 }, (_, i) => `mixed${i}`));
    expect(json.weightsManifest[0]?.paths).toHaveLength(Math.ceil((23_851_784 * 4) / (4 * 1024 * 1024)));
    expect(JSON.stringify(json).length).toBeLessThan(300_000);
  });

  it('loads with tf.loadLayersModel and predicts a batch of one', async () => {
    await withoutLeaks(async () => {
      const model = await tf.loadLayersModel(tf.io.fromMemory(kerasInceptionV3Artifacts(0)));
      expect(model.countParams()).toBe(23_851_784); // keras.applications.InceptionV3().count_params()
      expect(model.layers).toHaveLength(313);
      expect(model.getLayer('mixed10').outputShape).toEqual([null, 8, 8, 2048]);
      expect(model.getLayer('mixed7').outputShape).toEqual([null, 17, 17, 768]);
      const input = tf.randomUniform([1, 299, 299, 3], -1, 1, 'float32', 7);
      const probabilities = model.predict(input) as tf.Tensor;
      expect(probabilities.shape).toEqual([1, 1000]);
      const values = Array.from(await probabilities.data());
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      tf.dispose([input, probabilities]);
      model.dispose();
    });
  });
});
