import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRng, type LabeledTensors } from '@whittle/kernel';
import { withoutLeaks } from '@whittle/testing';
import { batches, buildDatasetSplits, type DatasetSource } from '../src/index.js';
import { indexedImages } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** 50 training and 20 test 2×2 images; every pixel of example i is i (test: 100 + i). */
function source(): DatasetSource {
  const train = indexedImages(50, 2, 2, 5);
  const test = indexedImages(20, 2, 2, 5);
  test.images.forEach((v, i) => (test.images[i] = 100 + v));
  return { name: 'toy', train: { ...train, shape: [2, 2, 1], source: 'toy-train' }, test: { ...test, shape: [2, 2, 1], source: 'toy-test' }, numClasses: 5 };
}

/** The example index each image came from (first pixel, raw), and its label. */
function ids(data: LabeledTensors, scale = 1): { x: number[]; y: number[] } {
  const x = tf.tidy(() => Array.from(data.x.slice([0, 0, 0, 0], [-1, 1, 1, 1]).reshape([-1]).dataSync(), (v) => Math.round(v * scale)));
  const y = tf.tidy(() => Array.from(data.y.argMax(-1).dataSync()));
  return { x, y };
}

describe('buildDatasetSplits', () => {
  it('shuffles with the seed, holds out validation, limits, one-hot encodes, and frees everything', async () => {
    await withoutLeaks(() => {
      const splits = buildDatasetSplits(source(), { validationSplit: 0.2, trainLimit: 40, testLimit: 6, normalize: 'none' }, SeededRng.from(7));
      expect(splits.train.x.shape).toEqual([32, 2, 2, 1]);
      expect(splits.validation.x.shape).toEqual([8, 2, 2, 1]);
      expect(splits.train.y.shape).toEqual([32, 5]);
      expect(splits.inputShape).toEqual([2, 2, 1]);
      const train = ids(splits.train);
      const validation = ids(splits.validation);
      // Disjoint, distinct examples, labels that belong to them, not in file order.
      expect(new Set([...train.x, ...validation.x]).size).toBe(40);
      expect(train.y).toEqual(train.x.map((i) => i % 5));
      expect(train.x).not.toEqual([...train.x].sort((a, b) => a - b));
      expect(tf.tidy(() => splits.train.y.sum(-1).min().dataSync()[0])).toBe(1);
      // Test: the first examples in file order.
      expect(ids(splits.test!).x).toEqual([100, 101, 102, 103, 104, 105]);
      splits.dispose();
    });
  });

  it('gives the same split for the same seed and another for another seed', async () => {
    await withoutLeaks(() => {
      const take = (seed: number): number[] => {
        const splits = buildDatasetSplits(source(), {}, SeededRng.from(seed));
        const result = ids(splits.validation, 255).x;
        splits.dispose();
        return result;
      };
      expect(take(3)).toHaveLength(5); // round(50 · 0.1)
      expect(take(3)).toEqual(take(3));
      expect(take(3)).not.toEqual(take(4));
    });
  });

  it('normalises: unit = /255, standardize = train-split statistics', async () => {
    await withoutLeaks(() => {
      const unit = buildDatasetSplits(source(), {}, SeededRng.from(1));
      expect(tf.tidy(() => unit.test!.x.max().dataSync()[0])).toBeCloseTo(119 / 255, 6);
      unit.dispose();

      const std = buildDatasetSplits(source(), { validationSplit: 0.5, normalize: 'standardize' }, SeededRng.from(1));
      const moments = tf.tidy(() => tf.moments(std.train.x));
      expect(moments.mean.dataSync()[0]).toBeCloseTo(0, 5);
      expect(moments.variance.dataSync()[0]).toBeCloseTo(1, 4);
      // Validation uses the training statistics, so it is not exactly standardised itself.
      const validationMean = tf.tidy(() => std.validation.x.mean().dataSync()[0]!);
      expect(Math.abs(validationMean)).toBeGreaterThan(1e-3);
      tf.dispose([moments.mean, moments.variance]);
      std.dispose();
    });
  });

  it('refuses bad options and labels outside the classes', () => {
    expect(() => buildDatasetSplits(source(), { validationSplit: 1 }, SeededRng.from(1))).toThrow(expect.objectContaining({ code: 'BAD_DATA_OPTION' }));
    expect(() => buildDatasetSplits(source(), { trainLimit: 0 }, SeededRng.from(1))).toThrow(/trainLimit must be a positive integer/);
    expect(() => buildDatasetSplits(source(), { trainLimit: 1, validationSplit: 0.9 }, SeededRng.from(1))).toThrow(/no training examples left/);
    expect(() => buildDatasetSplits({ ...source(), numClasses: 4 }, {}, SeededRng.from(1))).toThrow(/toy-train: example 4 has label 4, but the dataset has 4 classes/);
  });
});

describe('batches', () => {
  it('covers every example exactly once per epoch, shuffled anew each epoch, reproducibly', async () => {
    const splits = buildDatasetSplits(source(), { validationSplit: 0, normalize: 'none' }, SeededRng.from(1));
    await withoutLeaks(() => {
      const epoch = (rng?: SeededRng): { order: number[]; sizes: number[] } => {
        const order: number[] = [];
        const sizes: number[] = [];
        for (const batch of batches(splits.train, 16, rng)) {
          const { x, y } = ids(batch);
          expect(y).toEqual(x.map((i) => i % 5)); // images and labels stay paired
          order.push(...x);
          sizes.push(batch.x.shape[0]);
          tf.dispose([batch.x, batch.y]);
        }
        return { order, sizes };
      };
      const plain = epoch();
      expect(plain.sizes).toEqual([16, 16, 16, 2]);
      expect(plain.order).toEqual(ids(splits.train).x);

      const rng = SeededRng.from(9);
      const first = epoch(rng);
      const second = epoch(rng);
      for (const { order } of [first, second]) expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(first.order).not.toEqual(plain.order);
      expect(second.order).not.toEqual(first.order);
      const again = SeededRng.from(9);
      expect(epoch(again).order).toEqual(first.order);

      // Leaving early leaks nothing: batches are made on demand.
      for (const batch of batches(splits.train, 8, rng)) {
        tf.dispose([batch.x, batch.y]);
        break;
      }
      expect(() => batches(splits.train, 0).next()).toThrow(expect.objectContaining({ code: 'BAD_BATCH_SIZE' }));
    });
    splits.dispose();
  });
});
