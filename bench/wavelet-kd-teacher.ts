/**
 * Trains the committed pix2pix teacher of examples/wavelet-kd (generator and discriminator) on the
 * fashion-mnist-edges task, seeded. Writes examples/wavelet-kd/teacher/{generator,discriminator}/ and
 * teacher/training.json (the settings, the losses and the time).
 *
 *   pnpm exec tsc -b bench && node bench/dist/wavelet-kd-teacher.js [--steps 1500] [--batch 16] [--discriminator-width 8] [--out examples/wavelet-kd/teacher]
 *
 * Data: @whittle/plugin-wavelet-kd's fashion-mnist-edges (Debian's Fashion-MNIST, Sobel edges at
 * threshold 0.2 → the 32×32-padded image), trainLimit 20000 (seed 1), validationSplit 0.
 * Generator: zoo pix2pix-generator width 16 (depth 5, sigmoid output), seed 1. Discriminator: zoo
 * patchgan-discriminator width 8, 3 downsamplings, seed 2. Adam 2e-4 / β1 0.5, λ_L1 100, batch 16.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { fashionMnistEdgesProvider, trainPix2Pix } from '@whittle/plugin-wavelet-kd';
import { buildPatchGanDiscriminator, buildPix2PixGenerator } from '@whittle/zoo';
import { benchArgs } from './bench-args.js';

const args = benchArgs('wavelet-kd-teacher', { steps: '1500', batch: '16', 'discriminator-width': '8', out: 'examples/wavelet-kd/teacher' });

async function main(): Promise<void> {
  const steps = args.integer('steps', 1);
  const batchSize = args.integer('batch', 1);
  const discriminatorWidth = args.integer('discriminator-width', 1);
  const out = args.string('out');
  const backend = await selectBackend('wasm');
  const command = args.command;
  console.log(`command: ${command}\nbackend: ${backend.name}`);
  const settings = { steps, batchSize, learningRate: 2e-4, beta1: 0.5, l1Weight: 100 };
  const data = { provider: 'fashion-mnist-edges', trainLimit: 20000, validationSplit: 0, seed: 1, threshold: 0.2 };
  const splits = await fashionMnistEdgesProvider.load({ threshold: data.threshold }, { trainLimit: data.trainLimit, validationSplit: 0, testLimit: 1 }, { baseDir: '.', rng: SeededRng.from(data.seed, 'data') });
  const generator = buildPix2PixGenerator({ inputShape: [32, 32, 1], width: 16, outActivation: 'sigmoid', seed: 1 });
  const discriminator = buildPatchGanDiscriminator({ inputShape: [32, 32, 1], width: discriminatorWidth, downsamplings: 3, seed: 2 });
  const result = await trainPix2Pix({ generator, discriminator }, splits.train, settings, SeededRng.from(1, 'teacher'), undefined, (step, losses) => {
    if (step % 100 === 99) console.log(`step ${step + 1}: G ${losses.generator.toFixed(3)}  D ${losses.discriminator.toFixed(3)}  L1 ${losses.l1.toFixed(4)}`);
  });
  mkdirSync(out, { recursive: true });
  await saveModel(generator, join(out, 'generator'));
  await saveModel(discriminator, join(out, 'discriminator'));
  const record = {
    command, backend: backend.name, data, settings,
    generator: { builder: 'pix2pix-generator', width: 16, outActivation: 'sigmoid', seed: 1 },
    discriminator: { builder: 'patchgan-discriminator', width: discriminatorWidth, downsamplings: 3, seed: 2 },
    result, tfjs: tf.version.tfjs,
  };
  writeFileSync(join(out, 'training.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(JSON.stringify(result));
  splits.dispose();
}

await main();
