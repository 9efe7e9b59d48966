/**
 * Trains the small Fashion-MNIST classifier whose pooled features the `frechet-fmnist` metric
 * (@whittle/metrics) compares, and writes it to packages/metrics/assets/fashion-mnist-classifier/.
 * Seeded: the same command gives the same weights on the same backend.
 *
 *   pnpm exec tsc -b bench && node bench/dist/frechet-classifier.js [--epochs 3] [--out DIR]
 *
 * Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), all 60,000 training
 * images, padded to 32×32 (2 zero pixels each side), pixels/255. Model: the zoo's small-cnn
 * (width 16, seed 1; features are its 64-channel `gap` layer). Adam 1e-3, batch 64, seeded order.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { loadIdxPair } from '@whittle/data';
import { selectBackend } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { buildSmallCnn } from '@whittle/zoo';
import { benchArgs } from './bench-args.js';

const DATA_DIR = '/usr/share/datasets/fashion-mnist';

const args = benchArgs('frechet-classifier', { epochs: '3', out: 'packages/metrics/assets/fashion-mnist-classifier' });

async function loadPadded(images: string, labels: string): Promise<{ x: tf.Tensor4D; y: tf.Tensor2D; n: number }> {
  const pair = await loadIdxPair(join(DATA_DIR, images), join(DATA_DIR, labels));
  const n = pair.labels.length;
  const x = tf.tidy(() => tf.tensor4d(Float32Array.from(pair.images, (v) => v / 255), [n, 28, 28, 1]).pad([[0, 0], [2, 2], [2, 2], [0, 0]]) as tf.Tensor4D);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(pair.labels), 'int32'), 10).toFloat() as tf.Tensor2D;
  return { x, y, n };
}

async function main(): Promise<void> {
  const epochs = args.integer('epochs', 1);
  const out = args.string('out');
  const backend = await selectBackend('wasm');
  console.log(`command: ${args.command}`);
  console.log(`backend ${backend.name}; data ${DATA_DIR}; small-cnn width 16 seed 1; adam 1e-3; batch 64; epochs ${epochs}`);
  const train = await loadPadded('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');
  const test = await loadPadded('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
  const model = buildSmallCnn({ inputShape: [32, 32, 1], numClasses: 10, width: 16, seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const rng = SeededRng.from(1, 'frechet-classifier');
  const batch = 64;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(train.n);
    const started = Date.now();
    let lossSum = 0;
    let steps = 0;
    for (let start = 0; start < train.n; start += batch) {
      const idx = tf.tensor1d(order.subarray(start, Math.min(start + batch, train.n)), 'int32');
      const [xb, yb] = [tf.gather(train.x, idx), tf.gather(train.y, idx)];
      const result = await model.trainOnBatch(xb, yb);
      lossSum += (Array.isArray(result) ? result[0] : result) ?? 0;
      steps++;
      tf.dispose([idx, xb, yb]);
    }
    const accuracy = tf.tidy(() => (model.predict(test.x) as tf.Tensor).argMax(1).equal(test.y.argMax(1)).toFloat().mean().dataSync()[0]);
    console.log(`epoch ${epoch + 1}: loss ${(lossSum / steps).toFixed(4)}, test accuracy ${accuracy?.toFixed(4)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  await saveModel(model, out);
  console.log(`saved ${out}`);
}

await main();
