/**
 * The Fashion-MNIST base model and data split that bench/sp-lamp and bench/overparam share: the
 * committed ResNet-20 (bench/sp-lamp/base-model, trained by
 * `pnpm whittle run bench/sp-lamp/train-base.json --out runs/sp-lamp-base`) and the same seeded split
 * it was trained on, so that its test split is unseen.
 *
 * ```ts
 * const bench = await loadFashionMnistBase(log);
 * const train = trainSubset(bench.data, 3000); // the first 3,000 of the base's 9,000 training images
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { idxProvider } from '@whittle/data';
import { SeededRng, type ClassificationSplits, type LabeledTensors, type Logger } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import { countParams, evaluateAccuracy } from '@whittle/metrics';
import { fileURLToPath } from 'node:url';

export const BASE_MODEL = fileURLToPath(new URL('../sp-lamp/base-model/model.json', import.meta.url));
export const DATA_DIR = '/usr/share/datasets/fashion-mnist';
/** The seed and limits of bench/sp-lamp/train-base.json. */
export const SEED = 2026;
export const SPLIT = { trainLimit: 10000, validationSplit: 0.1, testLimit: 2000 } as const;
/** The base model's training subset: 10,000 images less the 10% validation split. */
export const BASE_TRAIN_IMAGES = 9000;

export interface FashionMnistBase {
  readonly data: ClassificationSplits;
  readonly test: LabeledTensors;
  readonly base: tf.LayersModel;
  readonly baseAccuracy: number;
}

/** Loads the split and the base model, and logs the base's test accuracy. */
export async function loadFashionMnistBase(log: Logger): Promise<FashionMnistBase> {
  const data: ClassificationSplits = await idxProvider.load({ dir: DATA_DIR }, SPLIT, { baseDir: process.cwd(), rng: SeededRng.from(SEED, 'data') });
  const test = data.test ?? data.validation;
  const base = await loadModel(BASE_MODEL);
  const baseAccuracy = await evaluateAccuracy(base, test);
  log.info(`base model: ${countParams(base)} params, test accuracy ${(baseAccuracy * 100).toFixed(2)}%`);
  return { data, test, base, baseAccuracy };
}

/** The splits with the training split cut to its first `limit` images (the same splits when it has no more); dispose it when it is not `data`. */
export function trainSubset(data: ClassificationSplits, limit: number): ClassificationSplits {
  if (!Number.isInteger(limit) || limit < 64 || limit > BASE_TRAIN_IMAGES) throw new Error(`--train-limit must be an integer in [64, ${BASE_TRAIN_IMAGES}], got ${limit}`);
  if (limit >= data.train.x.shape[0]) return data;
  const train = { x: data.train.x.slice(0, limit), y: data.train.y.slice(0, limit) };
  return { ...data, train, dispose: () => tf.dispose([train.x, train.y]) };
}
