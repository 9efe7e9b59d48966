import * as tf from '@tensorflow/tfjs';
import { runStage, type DeployResult } from '@whittle/kernel';
import metrics from '@whittle/metrics';
import { TempDir, useWasm } from '@whittle/testing';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareLayersModels, modelFolderHandler, TfjsWebTarget } from '../../src/index.js';
import { testModel } from '../helpers/test-model.js';

const manifests = [metrics];
const temp = new TempDir('whittle-tfjs-web-');
let model: tf.LayersModel;

beforeAll(async () => {
  await useWasm();
  model = testModel(5);
});
afterAll(() => {
  model.dispose();
  temp.cleanup();
});

async function deploy(name: string, options: Record<string, unknown>): Promise<{ result: DeployResult; root: string }> {
  const root = temp.path(name);
  const before = tf.memory().numTensors;
  const { value } = await runStage<DeployResult>(TfjsWebTarget, { model, outDir: root, manifests, options });
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return { result: value, root };
}

describe('tfjs-web deploy target', () => {
  it('uint8: writes model.json + shards, sizes.json and LOAD.md; the folder loads with tf.loadLayersModel', async () => {
    const { result, root } = await deploy('uint8', { dtype: 'uint8', shardBytes: 4096 });
    const modelJson = result.files.find((f) => f.endsWith('web-model/model.json'))!;
    expect(modelJson).toBeDefined();
    const shards = result.files.filter((f) => f.endsWith('.bin'));
    expect(shards.length).toBe(Math.ceil(result.metrics['weightBytes']! / 4096));
    expect(shards.reduce((n, f) => n + statSync(join(root, f)).size, 0)).toBe(result.metrics['weightBytes']);
    expect(result.metrics['weightRatio']).toBeCloseTo(4, 6);
    expect(result.metrics['totalBytes']).toBe(result.metrics['weightBytes']! + statSync(join(root, modelJson)).size);
    expect(result.metrics['servedOutputRelativeError']).toBeLessThan(0.05);
    const sizes = JSON.parse(readFileSync(join(root, result.files.find((f) => f.endsWith('sizes.json'))!), 'utf8')) as { storage: string; float32: { weightBytes: number }; written: { weightBytes: number } };
    expect(sizes.storage).toBe('uint8');
    expect(sizes.float32.weightBytes).toBe(sizes.written.weightBytes * 4);
    const snippet = readFileSync(join(root, result.files.find((f) => f.endsWith('LOAD.md'))!), 'utf8');
    expect(snippet).toContain("tf.loadLayersModel('web-model/model.json')");
    expect(snippet).toContain('tf.zeros([1, 32, 32, 3])');
    expect(snippet).toContain(`@tensorflow/tfjs@${tf.version.tfjs}`);
    // What a browser gets: the folder as written, through the stock loader.
    const served = await tf.loadLayersModel(modelFolderHandler(join(root, modelJson)));
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 1);
    expect((await compareLayersModels(model, served, x)).relative).toBeLessThan(0.05);
    tf.dispose([x]);
    served.dispose();
    expect(dirname(modelJson).endsWith('web-model')).toBe(true);
  });

  it('auto without a web-quantize stage: float32, identical outputs', async () => {
    const { result } = await deploy('auto', {});
    expect(result.details).toMatchObject({ storage: 'float32' });
    expect(result.metrics['weightRatio']).toBe(1);
    expect(result.metrics['servedOutputMaxAbsError']).toBe(0);
  });

  it('rejects unknown options', async () => {
    await expect(runStage(TfjsWebTarget, { model, manifests, options: { dtype: 'int8' } })).rejects.toThrow(/dtype/);
    await expect(runStage(TfjsWebTarget, { model, manifests, options: { shardBytes: 0 } })).rejects.toThrow(/shardBytes/);
  });
});
