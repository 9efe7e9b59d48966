import * as tf from '@tensorflow/tfjs';
import { definePluginManifest, KERNEL_VERSION, runStage, type DatasetSplits, type DeployResult, type PluginManifest } from '@whittle/kernel';
import { errorOf, leakedBy, TempDir, useWasm } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithTfjs, OnnxruntimeTarget, OrtSession, type OnnxEndpoint } from '../../src/index.js';
import { channelScaleModel, channelScaleOperation } from '../helpers/channel-scale.js';
import { randomiseWeights } from '../helpers/random-weights.js';

const temp = new TempDir('whittle-onnxruntime-target-');
let model: tf.LayersModel;

beforeAll(async () => {
  await useWasm();
  model = buildResNet({ depth: 8, inputShape: [8, 8, 3], numClasses: 3, width: 4, seed: 2 });
  randomiseWeights(model, 3);
});
afterAll(() => {
  model.dispose();
  temp.cleanup();
});

/** A manifest registering the custom layer OnnxChannelScale with `lowering` as its ONNX lowering. */
function channelScaleManifest(onnx: typeof channelScaleOperation.onnx): PluginManifest {
  return definePluginManifest({ name: 'test-channel-scale', version: '0.1.0', kernel: KERNEL_VERSION, layers: [{ className: 'OnnxChannelScale', operation: { ...channelScaleOperation, onnx } }] });
}

async function deploy(subject: tf.LayersModel, name: string, options: Record<string, unknown>, extra: { data?: DatasetSplits; manifests?: PluginManifest[] } = {}): Promise<{ result: DeployResult; root: string }> {
  const root = temp.path(name);
  let result: DeployResult | undefined;
  const leaked = await leakedBy(async () => {
    ({ value: result } = await runStage<DeployResult>(OnnxruntimeTarget, { model: subject, outDir: root, options, ...extra }));
  });
  expect(leaked, 'tensors leaked').toBe(0);
  return { result: result as DeployResult, root };
}

describe('deploy target onnxruntime', () => {
  it('writes model.onnx and onnxruntime.json; ORT matches tfjs on random inputs; reports size, error and latency', async () => {
    const { result, root } = await deploy(model, 'random', { runs: 5, warmup: 2, intraOpThreads: 2, batchSize: 3 });
    const onnxFile = result.files.find((f) => f.endsWith('model.onnx'));
    expect(onnxFile).toBeDefined();
    const bytes = readFileSync(join(root, onnxFile as string));
    expect(result.metrics['onnxBytes']).toBe(statSync(join(root, onnxFile as string)).size);
    expect(result.metrics['outputRelativeError']).toBeLessThanOrEqual(1e-4);
    expect(result.metrics['checkedExamples']).toBe(8);
    expect(result.metrics['latencyMs']).toBeGreaterThan(0);
    expect(result.metrics['latencyP10Ms']).toBeLessThanOrEqual(result.metrics['latencyP90Ms'] as number);
    expect(result.metrics).toMatchObject({ batchSize: 3, intraOpThreads: 2 });
    expect(result.metrics['foldedBatchNorms']).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(join(root, result.files.find((f) => f.endsWith('onnxruntime.json')) as string), 'utf8')) as {
      check: { source: string }; latency: { runs: number; batchSize: number }; inputs: OnnxEndpoint[]; outputs: OnnxEndpoint[];
    };
    expect(summary.check.source).toBe('random');
    expect(summary.latency).toMatchObject({ runs: 5, batchSize: 3 });
    // The written file is the model: read back from disk, ORT gives tfjs's outputs.
    const session = await OrtSession.create(new Uint8Array(bytes), summary);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 4);
    try {
      expect((await compareWithTfjs(model, session, [x])).relativeError).toBeLessThanOrEqual(1e-4);
    } finally {
      x.dispose();
      await session.release();
    }
  });

  it('checks on the run\'s data when there is some', async () => {
    const x = tf.randomUniform([5, 8, 8, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1], 'int32'), 3).toFloat() as tf.Tensor2D;
    const data: DatasetSplits = { name: 'tiny', task: 'classification', train: { x, y }, validation: { x, y }, numClasses: 3, inputShape: [8, 8, 3], dispose: () => undefined };
    const { result } = await deploy(model, 'data', { runs: 3, warmup: 1 }, { data });
    expect(result.details).toMatchObject({ checkedOn: 'data' });
    expect(result.metrics['checkedExamples']).toBe(5);
    expect(result.metrics['outputRelativeError']).toBeLessThanOrEqual(1e-4);
    tf.dispose([x, y]);
  });

  it('exports custom layers through their registered lowering, and fails loudly when that lowering disagrees with tfjs', async () => {
    const custom = channelScaleModel();
    try {
      const { result } = await deploy(custom, 'custom-ok', { runs: 3, warmup: 1 }, { manifests: [channelScaleManifest(channelScaleOperation.onnx)] });
      expect(result.metrics['outputRelativeError']).toBeLessThanOrEqual(1e-4);
      // A lowering that forgets the scale: ORT computes conv → relu → …, tfjs conv → ×scale → relu → ….
      const broken = channelScaleManifest({ lower: (ctx) => [{ name: ctx.node('Identity', [ctx.input(0, 'channels-first')]), layout: 'channels-first' }] });
      const root = temp.path('custom-broken');
      const before = tf.memory().numTensors;
      const error = await errorOf(() => runStage(OnnxruntimeTarget, { model: custom, outDir: root, options: { runs: 3, warmup: 1 }, manifests: [broken] }));
      expect(tf.memory().numTensors).toBe(before);
      expect(error.code).toBe('ORT_OUTPUT_MISMATCH');
      expect(error.message).toMatch(/model "channel_scale_model" exported to ONNX gives outputs .* above maxRelativeError 0.0001/);
      // The file that disagrees is kept for inspection.
      expect(existsSync(join(root, 'stages', '00', 'model.onnx'))).toBe(true);
    } finally {
      custom.dispose();
    }
  });

  it('refuses bad options and unsupported layers with clear errors', async () => {
    await expect(runStage(OnnxruntimeTarget, { model, options: { intraOpThreads: 0 } })).rejects.toThrow(/intraOpThreads/);
    await expect(runStage(OnnxruntimeTarget, { model, options: { threads: 2 } })).rejects.toThrow(/threads/);
    const custom = channelScaleModel();
    const error = await errorOf(() => runStage(OnnxruntimeTarget, { model: custom, options: {} }));
    custom.dispose();
    expect(error.code).toBe('ONNX_UNSUPPORTED_LAYER');
    expect(error.message).toContain('layer "scale" (OnnxChannelScale)');
  });
});
