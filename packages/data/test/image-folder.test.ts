import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { SeededRng, type DataLoadEnv } from '@whittle/kernel';
import { TempDir, withoutLeaks } from '@whittle/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFolderProvider, listImageFolder } from '../src/index.js';

const temp = new TempDir('whittle-image-folder-');
const CLASSES = ['circle', 'square', 'triangle'];

/** A w×h RGB image of one colour: class c gets red = 40 + 80c (labels checkable from pixels), image i green = 10 + 40i. */
async function png(width: number, height: number, red: number, format: 'png' | 'jpeg' = 'png', green = 10): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: red, g: green, b: 200 } } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 100 }).toBuffer();
}

/** `photos/<class>/<i>.png`: 5 images per class, of assorted sizes, one JPEG, plus files to skip. */
async function writeFolder(root: string): Promise<void> {
  for (const [c, name] of CLASSES.entries()) {
    for (let i = 0; i < 5; i++) {
      const jpeg = c === 1 && i === 4;
      temp.write(`${root}/${name}/${i}.${jpeg ? 'JPG' : 'png'}`, await png(10 + 3 * i, 7 + 2 * c, 40 + 80 * c, jpeg ? 'jpeg' : 'png', 10 + 40 * i));
    }
    temp.write(`${root}/${name}/notes.txt`, 'not an image, skipped by extension');
    temp.write(`${root}/${name}/.DS_Store`, 'hidden, skipped');
  }
  temp.write(`${root}/README.md`, 'files directly in root are not classes');
}

const env = (modelInputShape?: readonly [number, number, number]): DataLoadEnv => ({
  baseDir: temp.dir,
  rng: SeededRng.from(3, 'data'),
  ...(modelInputShape === undefined ? {} : { modelInputShape }),
});

/** Class of each example from its one-hot label; its red and green pixel (unit-normalised) say which file it was. */
function labelsAndReds(x: tf.Tensor4D, y: tf.Tensor2D): { labels: number[]; reds: number[]; ids: string[] } {
  return tf.tidy(() => {
    const pixel = (c: number): number[] => Array.from(x.slice([0, 0, 0, c], [-1, 1, 1, 1]).reshape([-1]).dataSync()).map((v) => Math.round(v * 255));
    const reds = pixel(0);
    const greens = pixel(1);
    return { labels: Array.from(y.argMax(1).dataSync()), reds, ids: reds.map((r, i) => `${r}/${greens[i]}`) };
  });
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await writeFolder('photos');
});
afterAll(() => temp.cleanup());

describe('image-folder provider', () => {
  it('lists classes in sorted order and skips hidden files, other extensions and files in root', async () => {
    const { classes, files } = await listImageFolder(temp.path('photos'));
    expect(classes).toEqual(CLASSES);
    expect(files.length).toBe(15);
    expect(files.map((f) => f.path)).toContain('square/4.JPG');
    expect(files.some((f) => f.path.endsWith('.txt') || f.path.includes('.DS_Store'))).toBe(false);
  });

  it('decodes and resizes every image to size × channels, with labels from the folder names', async () => {
    await withoutLeaks(async () => {
      const splits = await imageFolderProvider.load({ root: 'photos', size: [8, 6] }, { validationSplit: 0 }, env());
      expect([splits.train.x.shape, splits.train.y.shape, splits.inputShape, splits.numClasses, splits.classNames]).toEqual([[15, 8, 6, 3], [15, 3], [8, 6, 3], 3, CLASSES]);
      expect(splits.test).toBeUndefined();
      const { labels, reds } = labelsAndReds(splits.train.x, splits.train.y);
      // Each image's colour says its class: the label came from its folder. (JPEG rounds a little.)
      for (const [i, label] of labels.entries()) expect(Math.abs((reds[i] ?? 0) - (40 + 80 * label))).toBeLessThanOrEqual(2);
      splits.dispose();
    });
  });

  it('defaults size and channels to the model input, converts to grayscale', async () => {
    await withoutLeaks(async () => {
      const splits = await imageFolderProvider.load({ root: 'photos' }, {}, env([5, 4, 1]));
      expect(splits.inputShape).toEqual([5, 4, 1]);
      splits.dispose();
    });
    await expect(imageFolderProvider.load({ root: 'photos' }, {}, env())).rejects.toMatchObject({ code: 'BAD_DATA_OPTION', message: expect.stringMatching(/data\.options\.size is required/) });
  });

  it('splits test and validation by seed: the same seed gives the same split, another seed another', async () => {
    const split = async (seed: number): Promise<{ test: string[]; train: string[]; validation: string[] }> => {
      const splits = await imageFolderProvider.load({ root: 'photos', size: [4, 4], testSplit: 0.2 }, { validationSplit: 0.25 }, { baseDir: temp.dir, rng: SeededRng.from(seed, 'data') });
      // Each example is identified by its colour (class, index in class).
      const result = {
        test: labelsAndReds(splits.test!.x, splits.test!.y).ids,
        train: labelsAndReds(splits.train.x, splits.train.y).ids,
        validation: labelsAndReds(splits.validation.x, splits.validation.y).ids,
      };
      expect(new Set([...result.test, ...result.train, ...result.validation]).size).toBe(15);
      expect([splits.test!.x.shape[0], splits.validation.x.shape[0], splits.train.x.shape[0]]).toEqual([3, 3, 9]);
      splits.dispose();
      return result;
    };
    const a = await split(1);
    expect(await split(1)).toEqual(a);
    const others = await Promise.all([2, 3, 4, 5].map(split));
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(a))).toBe(true);
  });

  it('keeps a seeded choice of limitPerClass images of each class', async () => {
    const splits = await imageFolderProvider.load({ root: 'photos', size: [4, 4], limitPerClass: 2 }, { validationSplit: 0 }, env());
    const { labels } = labelsAndReds(splits.train.x, splits.train.y);
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([2, 2, 2]);
    splits.dispose();
  });

  it('names each file that does not decode, relative to root', async () => {
    await writeFolder('broken');
    temp.write('broken/square/corrupt.png', 'this is text, not a PNG');
    temp.write('broken/circle/cut.jpg', (await png(20, 20, 10, 'jpeg')).subarray(0, 40));
    const error = await imageFolderProvider.load({ root: 'broken', size: [4, 4] }, {}, env()).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_FILE_INVALID', exitCode: 2 });
    const message = (error as Error).message;
    expect(message).toMatch(/2 files in .*broken cannot be read as an image: circle\/cut\.jpg \(.+\); square\/corrupt\.png \(.+\)/);
  });

  it('refuses a missing root, a single class and an empty class folder', async () => {
    await expect(imageFolderProvider.load({ root: 'nowhere', size: [4, 4] }, {}, env())).rejects.toMatchObject({ code: 'DATA_FILE_MISSING' });
    temp.write('one/only/a.png', await png(4, 4, 0));
    await expect(imageFolderProvider.load({ root: 'one', size: [4, 4] }, {}, env())).rejects.toThrow(/one class sub-folder \(only\)/);
    temp.write('empty/a/a.png', await png(4, 4, 0));
    temp.write('empty/b/readme.txt', 'no images');
    await expect(imageFolderProvider.load({ root: 'empty', size: [4, 4] }, {}, env())).rejects.toThrow(/class folder b\/ holds no/);
  });
});
