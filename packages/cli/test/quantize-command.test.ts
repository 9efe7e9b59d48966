import * as tf from '@tensorflow/tfjs';
import { silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { TempDir } from '@whittle/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

const temp = new TempDir('whittle-cli-quantize-');
let model: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const x = tf.input({ shape: [8], name: 'features' });
  const h = tf.layers.dense({ units: 64, name: 'hidden', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(x) as tf.SymbolicTensor;
  const dense = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3, name: 'logits', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(h) as tf.SymbolicTensor });
  await saveModel(dense, temp.path('model'));
  dense.dispose();
  model = temp.path('model', 'model.json');
});
afterAll(() => temp.cleanup());

async function quantize(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['quantize', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('examples/web', () => {
  it('validates: web-quantize and tfjs-web resolve, with their options', async () => {
    const io = capture();
    const code = await main(['validate', fileURLToPath(new URL('../../../examples/web/pipeline.json', import.meta.url))], io);
    expect(code, io.err()).toBe(0);
  });
});

describe('whittle quantize', () => {
  it('writes a folder stock tf.loadLayersModel reads, and prints the sizes and what it kept', async () => {
    const out = temp.path('q8');
    const r = await quantize(model, '--dtype', 'uint8', '--skip', '*bias', '--skip', 'logits/*', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/weights +\d+ B → \d+ B +\(\d\.\d\d× smaller\)/);
    expect(r.out).toContain('kept as they were: 3 pattern');
    expect(r.out).toContain('hidden/bias: matches skip pattern "*bias"');
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(readFileSync(`${out}/model.json`, 'utf8')) as tf.io.ModelJSON;
    expect(json.weightsManifest[0]!.weights.map((w) => w.quantization?.dtype ?? w.dtype)).toEqual(['uint8', 'float32', 'float32', 'float32']);
  });

  it('--json prints the report', async () => {
    const r = await quantize(model, '--dtype', 'float16', '--out', temp.path('q16'), '--json', '--shard-bytes', '1000');
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { dtype: string; weightRatio: number; files: string[] };
    expect(report.dtype).toBe('float16');
    expect(report.weightRatio).toBeCloseTo(2, 6);
    expect(report.files.length).toBeGreaterThan(2);
  });

  it('bad input: exit 2 with a message that names it, nothing written', async () => {
    const missing = await quantize(temp.path('none.json'), '--dtype', 'uint8', '--out', temp.path('x1'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/none\.json: no such file/);
    const dtype = await quantize(model, '--dtype', 'int4', '--out', temp.path('x1'));
    expect(dtype.code).toBe(2);
    expect(dtype.err).toMatch(/--dtype.*int4.*uint8, uint16, float16/s);
    const noOut = await quantize(model, '--dtype', 'uint8');
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out/);
    const shard = await quantize(model, '--dtype', 'uint8', '--out', temp.path('x1'), '--shard-bytes', '0');
    expect(shard.code).toBe(2);
    expect(existsSync(temp.path('x1'))).toBe(false);
    // The input's own folder is not empty: refused, the model untouched.
    const before = readFileSync(model);
    const own = await quantize(model, '--dtype', 'uint8', '--out', temp.path('model'));
    expect(own.code).toBe(2);
    expect(own.err).toMatch(/is not empty.*among them the input model.*nothing was written/s);
    expect(readFileSync(model)).toEqual(before);
  });
});
