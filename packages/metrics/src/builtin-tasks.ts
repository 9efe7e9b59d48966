import type { TaskDefinition } from '@whittle/kernel';

/** `classification`: images → one-hot classes; cross-entropy; accuracy. */
export const classificationTask: TaskDefinition = {
  name: 'classification',
  description: 'x images, y one-hot labels [n, classes]; trained with cross-entropy, measured by top-1 accuracy.',
  loss: 'cross-entropy',
  metrics: ['accuracy'],
};

/** `image-to-image`: paired input and target images; L1; L1 and PSNR. */
export const imageToImageTask: TaskDefinition = {
  name: 'image-to-image',
  description: 'x input images, y paired target images; trained with L1, measured by L1 and PSNR.',
  loss: 'l1',
  metrics: ['l1', 'psnr'],
};

/**
 * `generative`: images to denoise or generate, with optional one-hot class conditions. Its
 * training (noise schedules, samplers) and metrics (Fréchet distance) come with the plugins that
 * need them; until then a run on it reports params and MACs only.
 */
export const generativeTask: TaskDefinition = {
  name: 'generative',
  description: 'x images (to denoise or generate), y optional one-hot class conditions; no default loss or metric yet.',
  metrics: [],
};

/**
 * The tasks Whittle ships.
 *
 * ```ts
 * builtinTasks.map((t) => t.name); // ['classification', 'image-to-image', 'generative']
 * ```
 */
export const builtinTasks: readonly TaskDefinition[] = [classificationTask, imageToImageTask, generativeTask];
