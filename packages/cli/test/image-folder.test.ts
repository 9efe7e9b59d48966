import * as tf from '@tensorflow/tfjs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, type RunReport } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { TempDir } from '@whittle/testing';
import { buildSmallCnn } from '@whittle/zoo';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

const temp = new TempDir('whittle-cli-image-folder-');

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

/** A noisy 20×24 RGB PNG, dark for class 0 and bright for class 1, so a tiny CNN separates them. */
async function noisyPng(bright: boolean, seed: number): Promise<Buffer> {
  const [w, h] = [24, 20];
  const pixels = Buffer.alloc(w * h * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (bright ? 170 : 30) + ((seed * 7919 + i * 104729) % 60);
  return sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

async function writeImages(root: string): Promise<void> {
  for (let i = 0; i < 16; i++) {
    temp.write(`${root}/bright/${i}.png`, await noisyPng(true, i));
    temp.write(`${root}/dark/${i}.png`, await noisyPng(false, i));
  }
}

/** A pipeline that fine-tunes `model/model.json` (16×16×3) on `root`, resized to the model's input. */
function pipeline(name: string, root: string): string {
  const baselines = relative(temp.dir, fileURLToPath(new URL('../../plugin-baselines/src/index.ts', import.meta.url)));
  return temp.write(`${name}.json`, {
    name,
    seed: 3,
    backend: 'wasm',
    plugins: [baselines],
    model: { path: 'model/model.json' },
    data: { provider: 'image-folder', options: { root, testSplit: 0.25 }, validationSplit: 0.2 },
    stages: [{ hook: 'recover', plugin: 'train', options: { epochs: 4, batchSize: 8, optimizer: 'adam', learningRate: 0.01 } }],
  });
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  const model = buildSmallCnn({ inputShape: [16, 16, 3], numClasses: 2, width: 4, seed: 1 });
  await saveModel(model, temp.path('model'));
  model.dispose();
  await writeImages('images');
});
afterAll(() => temp.cleanup());

describe('whittle run on an image folder', () => {
  it('fine-tunes a saved model on a folder of PNGs per class, resized to its input, without listing @whittle/data', async () => {
    const before = tf.memory().numTensors;
    const io = capture();
    const code = await main(['run', pipeline('folder', 'images'), '--out', temp.path('run'), '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as RunReport;
    expect(report.status).toBe('completed');
    expect(report.stages[0]?.model?.metrics['accuracy']).toBeGreaterThanOrEqual(0.875); // 8 test images, 2 classes
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exits 2 naming the file that is not an image, and writes no run', async () => {
    await writeImages('broken');
    temp.write('broken/dark/scan.png', 'not a PNG');
    const io = capture();
    expect(await main(['run', pipeline('broken', 'broken'), '--out', temp.path('broken-run')], io)).toBe(2);
    expect(io.err()).toMatch(/dark\/scan\.png/);
    expect(io.err()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
