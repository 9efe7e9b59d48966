import type * as tf from '@tensorflow/tfjs';
import { inputError, type StageCall } from '@whittle/kernel';
import { unetShapes } from '../metrics/unet-latency.js';

/** The run's diffusion training images and labels, checked against the U-Net. */
export interface StageImages {
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor2D;
  /** The evaluation split's images (test, else validation, else train). */
  readonly evaluation: tf.Tensor4D;
}

/**
 * The x₀ images and one-hot labels of the run's data for a U-Net stage, refusing data that does not
 * fit the model (its image shape and class count) with a message naming the stage.
 *
 * ```ts
 * const { images, labels } = diffusionImagesOf(call, model);
 * ```
 */
export function diffusionImagesOf(call: StageCall, model: tf.LayersModel): StageImages {
  const data = call.ctx.data;
  const where = `stage ${call.stage.label}`;
  if (data === undefined || data.train.y === undefined) throw inputError('SD_NO_DATA', `${where} needs class-labelled images`, 'Add "data": { "provider": "fashion-mnist-diffusion" } to the pipeline.');
  let shapes: ReturnType<typeof unetShapes>;
  try {
    shapes = unetShapes(model);
  } catch (error) {
    throw inputError('SD_NOT_A_UNET', `${where}: ${(error as Error).message}`, 'Use the diffusion-unet builder or the committed teacher.', error);
  }
  const x = data.train.x;
  const y = data.train.y;
  const [, h, w, c] = x.shape;
  if (x.rank !== 4 || h !== shapes.image[0] || w !== shapes.image[1] || c !== shapes.image[2]) {
    throw inputError('SD_DATA_SHAPE', `${where}: the data's images are ${JSON.stringify(x.shape.slice(1))}, the U-Net takes ${JSON.stringify(shapes.image)}`, 'Set data.options.side to the model\'s image side.');
  }
  if (y.rank !== 2 || y.shape[1] !== shapes.classes) throw inputError('SD_DATA_CLASSES', `${where}: the data has labels ${JSON.stringify(y.shape.slice(1))}, the U-Net takes ${shapes.classes} classes`, 'Use data with as many classes as the model.');
  const evaluation = (data.test?.x ?? (data.validation.x.shape[0] > 1 ? data.validation.x : x)) as tf.Tensor4D;
  return { images: x as tf.Tensor4D, labels: y as tf.Tensor2D, evaluation };
}
