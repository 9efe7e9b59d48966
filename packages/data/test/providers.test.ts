import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Ajv } from 'ajv';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng, type ClassificationSplits } from '@whittle/kernel';
import { skipWithoutSystemPath, withoutLeaks } from '@whittle/testing';
import { cifar10Provider, dataAssetPath, dataProviders, fashionMnistSampleProvider, idxProvider } from '../src/index.js';
import { cifarBytes, gzip, idxBytes, indexedImages } from './fixtures.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'whittle-data-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const env = (): { baseDir: string; rng: SeededRng } => ({ baseDir: root, rng: SeededRng.from(5, 'data') });

/** Per-class counts of one-hot labels. */
function classCounts(y: tf.Tensor2D): number[] {
  return tf.tidy(() => Array.from(y.sum(0).dataSync()));
}

async function writeIdxFolder(dir: string, gzipped: boolean): Promise<void> {
  await mkdir(dir, { recursive: true });
  const ext = gzipped ? '.gz' : '';
  const pack = (b: Uint8Array): Uint8Array => (gzipped ? gzip(b) : b);
  const train = indexedImages(30, 4, 4, 3);
  const test = indexedImages(9, 4, 4, 3);
  await writeFile(join(dir, `train-images-idx3-ubyte${ext}`), pack(idxBytes([30, 4, 4], train.images)));
  await writeFile(join(dir, `train-labels-idx1-ubyte${ext}`), pack(idxBytes([30], train.labels)));
  await writeFile(join(dir, `t10k-images-idx3-ubyte${ext}`), pack(idxBytes([9, 4, 4], test.images)));
  await writeFile(join(dir, `t10k-labels-idx1-ubyte${ext}`), pack(idxBytes([9], test.labels)));
}

describe('idx provider', () => {
  it('reads a folder with the standard names, plain or gzipped, relative to the config folder', async () => {
    await writeIdxFolder(join(root, 'plain'), false);
    await writeIdxFolder(join(root, 'gz'), true);
    await withoutLeaks(async () => {
      for (const dir of ['plain', 'gz']) {
        const splits = await idxProvider.load({ dir, classNames: ['a', 'b', 'c'] }, { validationSplit: 0.2 }, env());
        expect([splits.train.x.shape, splits.validation.x.shape, splits.test?.x.shape]).toEqual([[24, 4, 4, 1], [6, 4, 4, 1], [9, 4, 4, 1]]);
        expect([splits.numClasses, splits.classNames]).toEqual([3, ['a', 'b', 'c']]);
        expect(classCounts(splits.test!.y)).toEqual([3, 3, 3]);
        splits.dispose();
      }
    });
  });

  it('takes files by path, infers the classes, and names what is missing', async () => {
    const splits = await idxProvider.load({ trainImages: 'gz/train-images-idx3-ubyte.gz', trainLabels: 'gz/train-labels-idx1-ubyte.gz' }, {}, env());
    expect([splits.numClasses, splits.test]).toEqual([3, undefined]);
    splits.dispose();
    await expect(idxProvider.load({ dir: 'nowhere' }, {}, env())).rejects.toThrow(/cannot find the trainImages file \(none of train-images-idx3-ubyte, train-images-idx3-ubyte.gz/);
    await expect(idxProvider.load({}, {}, env())).rejects.toMatchObject({ code: 'DATA_FILE_MISSING' });
    await expect(idxProvider.load({ dir: 'gz', trainLabels: 'gz/t10k-labels-idx1-ubyte.gz' }, {}, env())).rejects.toThrow(/has 30 images but .*t10k-labels-idx1-ubyte.gz has 9 labels/);
    await expect(idxProvider.load({ dir: 'gz', trainImages: 'gz/missing.gz' }, {}, env())).rejects.toThrow(/missing\.gz does not exist/);
  });

  const debian = '/usr/share/datasets/fashion-mnist';
  it.skipIf(skipWithoutSystemPath(debian, 'dataset-fashion-mnist'))("reads Debian's Fashion-MNIST", async () => {
    await withoutLeaks(async () => {
      const splits = await idxProvider.load({ dir: debian }, { trainLimit: 1000, testLimit: 500 }, env());
      expect([splits.train.x.shape, splits.validation.x.shape, splits.test?.x.shape, splits.numClasses]).toEqual([[900, 28, 28, 1], [100, 28, 28, 1], [500, 28, 28, 1], 10]);
      splits.dispose();
    });
  });
});

describe('cifar10 provider', () => {
  it('reads the batches, NHWC, with the class names of batches.meta.txt', async () => {
    const dir = join(root, 'cifar');
    await mkdir(dir);
    for (const [i, name] of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'].entries()) {
      await writeFile(join(dir, `${name}.bin`), cifarBytes(i === 5 ? 10 : 4, i));
    }
    await withoutLeaks(async () => {
      const splits = await cifar10Provider.load({ dir: 'cifar' }, { validationSplit: 0, normalize: 'none' }, env());
      expect([splits.train.x.shape, splits.test?.x.shape, splits.inputShape]).toEqual([[20, 32, 32, 3], [10, 32, 32, 3], [32, 32, 3]]);
      expect(splits.classNames?.[0]).toBe('airplane');
      // Test record 3, pixel 35: (3 + 10c + 35) for c = 0, 1, 2.
      expect(tf.tidy(() => Array.from(splits.test!.x.slice([3, 1, 3, 0], [1, 1, 1, 3]).dataSync()))).toEqual([38, 48, 58]);
      splits.dispose();
    });
    await writeFile(join(dir, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
    const named = await cifar10Provider.load({ dir: 'cifar', batches: ['data_batch_2'] }, {}, env());
    expect([named.classNames?.[9], named.train.x.shape[0] + named.validation.x.shape[0], named.test]).toEqual(['j', 4, undefined]);
    named.dispose();
  });

  it('says which batches are missing unless `batches` lists those to read', async () => {
    const dir = join(root, 'cifar-part');
    await mkdir(dir);
    await writeFile(join(dir, 'data_batch_1.bin'), cifarBytes(2));
    await writeFile(join(dir, 'test_batch.bin'), cifarBytes(2));
    await expect(cifar10Provider.load({ dir: 'cifar-part' }, {}, env())).rejects.toThrow(/lacks data_batch_2\.bin, data_batch_3\.bin, data_batch_4\.bin, data_batch_5\.bin/);
    const splits = await cifar10Provider.load({ dir: 'cifar-part', batches: ['data_batch_1', 'test_batch'] }, { validationSplit: 0 }, env());
    expect(splits.test?.x.shape[0]).toBe(2);
    splits.dispose();
    await expect(cifar10Provider.load({ dir: 'cifar-part', batches: ['test_batch'] }, {}, env())).rejects.toMatchObject({ code: 'BAD_DATA_OPTION' });
  });
});

describe('fashion-mnist-sample provider', () => {
  it('loads the embedded sample: 28×28×1, 10 balanced classes', async () => {
    let splits: ClassificationSplits | undefined;
    await withoutLeaks(async () => {
      splits = await fashionMnistSampleProvider.load({}, {}, env());
      expect([splits.train.x.shape, splits.validation.x.shape, splits.test?.x.shape]).toEqual([[1800, 28, 28, 1], [200, 28, 28, 1], [400, 28, 28, 1]]);
      expect(splits.numClasses).toBe(10);
      expect(splits.classNames?.[9]).toBe('Ankle boot');
      const all = classCounts(splits.train.y).map((n, c) => n + (classCounts(splits!.validation.y)[c] ?? 0));
      expect(all).toEqual(Array(10).fill(200));
      expect(classCounts(splits.test!.y)).toEqual(Array(10).fill(40));
      const range = tf.tidy(() => [splits!.train.x.min().dataSync()[0], splits!.train.x.max().dataSync()[0]]);
      expect(range).toEqual([0, 1]);
      splits.dispose();
    });
    expect(dataAssetPath('fashion-mnist-sample', 'README.md')).toMatch(/packages\/data\/assets\/fashion-mnist-sample\/README\.md$/);
  });
});

describe('dataProviders', () => {
  it('names fashion-mnist-sample, idx, cifar10 and image-folder, each with an options schema ajv compiles', () => {
    expect(dataProviders.map((p) => p.name)).toEqual(['fashion-mnist-sample', 'idx', 'cifar10', 'image-folder']);
    const ajv = new Ajv({ allErrors: true });
    const valid = (name: string, options: unknown): boolean => ajv.validate(dataProviders.find((p) => p.name === name)!.optionsSchema, options) as boolean;
    expect(valid('idx', { dir: 'data' })).toBe(true);
    expect(valid('idx', { folder: 'data' })).toBe(false);
    expect(valid('cifar10', { dir: 'c', batches: ['data_batch_1', 'test_batch'] })).toBe(true);
    expect(valid('cifar10', { dir: 'c', batches: ['data_batch_6'] })).toBe(false);
    expect(valid('cifar10', {})).toBe(false);
    expect(valid('fashion-mnist-sample', {})).toBe(true);
    expect(valid('fashion-mnist-sample', { dir: 'x' })).toBe(false);
    expect(valid('image-folder', { root: 'photos', size: [224, 224], channels: 3, testSplit: 0.2, limitPerClass: 50 })).toBe(true);
    expect(valid('image-folder', { root: 'photos', channels: 4 })).toBe(false);
    expect(valid('image-folder', { root: 'photos', size: [224] })).toBe(false);
    expect(valid('image-folder', { size: [32, 32] })).toBe(false);
  });
});
