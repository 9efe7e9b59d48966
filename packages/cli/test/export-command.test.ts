import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { OrtSession } from '@whittle/plugin-onnx';
import { TempDir, useWasm } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { main, type CliIo } from '../src/index.js';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

const temp = new TempDir('whittle-cli-export-');
let resnet: string;
let unsupported: string;
beforeAll(async () => {
  await useWasm();
  const model = buildResNet({ depth: 20, inputShape: [16, 16, 3], numClasses: 4, width: 4, seed: 1 });
  await saveModel(model, temp.path('resnet'));
  model.dispose();
  resnet = temp.path('resnet', 'model.json');
  const ln = tf.sequential({ name: 'ln_model', layers: [tf.layers.dense({ units: 4, inputShape: [3], name: 'fc' }), tf.layers.layerNormalization({ name: 'norm' })] });
  await saveModel(ln, temp.path('ln'));
  ln.dispose();
  unsupported = temp.path('ln', 'model.json');
});
afterAll(() => temp.cleanup());

describe('whittle export --format onnx', () => {
  it('writes an ONNX file that ONNX Runtime loads, and reports its check against tfjs', async () => {
    const io = capture();
    const out = temp.path('out', 'resnet.onnx');
    mkdirSync(temp.path('out'), { recursive: true });
    expect(await main(['export', resnet, '--format', 'onnx', '--out', out, '--json'], io)).toBe(0);
    const summary = JSON.parse(io.out()) as { bytes: number; foldedBatchNorms: number; onnxRuntimeRelativeError: number; inputs: { name: string; shape: (number | null)[] }[]; outputs: { name: string; shape: (number | null)[] }[] };
    expect(summary.foldedBatchNorms).toBeGreaterThan(10);
    expect(summary.onnxRuntimeRelativeError).toBeLessThanOrEqual(1e-4);
    const bytes = readFileSync(out);
    expect(bytes.length).toBe(summary.bytes);
    const session = await OrtSession.create(bytes, summary);
    const [logits] = await session.run([{ values: new Float32Array(3 * 16 * 16 * 3), shape: [3, 16, 16, 3] }]);
    expect(logits?.length).toBe(3 * 4);
    await session.release();
  });

  it('bad input: exit 2, a message naming what, nothing written', async () => {
    const cases: [string[], RegExp][] = [
      [[unsupported, '--format', 'onnx', '--out', temp.path('bad', 'ln.onnx')], /layer "norm" \(LayerNormalization\) has no ONNX lowering/],
      [[temp.path('missing.json'), '--format', 'onnx', '--out', temp.path('bad', 'missing.onnx')], /missing\.json/],
      [[resnet, '--format', 'tflite', '--out', temp.path('bad', 'x.tflite')], /tflite/],
      [[resnet, '--out', temp.path('bad', 'x.onnx')], /--format/],
      [[resnet, '--format', 'onnx', '--out', temp.path('resnet')], /folder/],
    ];
    mkdirSync(temp.path('bad'), { recursive: true });
    for (const [args, message] of cases) {
      const io = capture();
      expect(await main(['export', ...args], io), args.join(' ')).toBe(2);
      expect(io.err()).toMatch(message);
    }
    expect(readdirSync(temp.path('bad'))).toEqual([]);
    expect(existsSync(temp.path('resnet', 'model.json'))).toBe(true);
  });
});
