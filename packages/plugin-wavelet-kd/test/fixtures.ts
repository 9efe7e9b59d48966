import * as tf from '@tensorflow/tfjs';
import { SeededRng, type ImageToImageSplits } from '@whittle/kernel';
import { buildPix2PixGenerator } from '@whittle/zoo';
import { pairedPixelsOf, pairedSplits } from '../src/data/paired-splits.js';
import { sobelEdges } from '../src/data/sobel-edges.js';

/** Tiny paired data: n random 16×16 blob images (targets) and their Sobel edges (inputs). */
export function tinyPairs(n: number, side = 16): ImageToImageSplits {
  const rng = SeededRng.from(9, 'tiny-pairs');
  const size = side * side;
  const targets = new Float32Array(n * size);
  const inputs = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const [cx, cy, r] = [4 + rng.next() * 8, 4 + rng.next() * 8, 2 + rng.next() * 4];
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) targets[i * size + y * side + x] = (x - cx) ** 2 + (y - cy) ** 2 < r * r ? 0.8 : 0.1;
    inputs.set(sobelEdges(targets.subarray(i * size, (i + 1) * size), side, side, 0.2), i * size);
  }
  const pixels = pairedPixelsOf(inputs, targets, [side, side, 1], [side, side, 1]);
  return pairedSplits('tiny-pairs', pixels, pixels, { validationSplit: 0.25 }, SeededRng.from(1));
}

/** A tiny pix2pix generator for 16×16×1 images (sigmoid output). */
export function tinyGenerator(width: number, seed: number): tf.LayersModel {
  return buildPix2PixGenerator({ inputShape: [16, 16, 1], width, depth: 2, outActivation: 'sigmoid', seed });
}

/** Every weight's values, by name. */
export function weightValues(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.name, w.read().dataSync() as Float32Array]));
}
