import * as tf from '@tensorflow/tfjs';
import { inputError, type DatasetSplits, type ImageToImageSplits, type PairedImages, type StageCall } from '@whittle/kernel';

/** The run's data as image-to-image splits, or an input error naming the stage. */
export function requireImageToImage(call: StageCall): ImageToImageSplits {
  const data: DatasetSplits | undefined = call.ctx.data;
  if (data === undefined) {
    throw inputError('DATA_MISSING', `stage ${call.stage.label} trains a GAN, but the pipeline has no "data"`, 'Add a "data" block, e.g. {"provider": "fashion-mnist-edges"}.');
  }
  if (data.task !== 'image-to-image' || data.train.y === undefined || data.train.y.rank !== 4) {
    throw inputError('TASK_UNSUPPORTED', `stage ${call.stage.label}: pix2pix and wavelet KD train image-to-image models, but the data "${data.name}" is for task "${data.task}"`,
      'Use paired image data: the fashion-mnist-edges or paired-folder provider.');
  }
  return data as ImageToImageSplits;
}

/** Checks that `model` maps the split's inputs to images of the targets' shape. */
export function requireGenerator(call: StageCall, role: string, model: tf.LayersModel, split: PairedImages): void {
  const input = model.inputs.length === 1 ? model.inputs[0]!.shape.slice(1) : undefined;
  const output = model.outputs.length === 1 ? model.outputs[0]!.shape.slice(1) : undefined;
  const wantIn = split.x.shape.slice(1);
  const wantOut = split.y.shape.slice(1);
  const fits = (shape: (number | null)[] | undefined, want: number[]): boolean => shape !== undefined && shape.length === want.length && shape.every((d, i) => d === null || d === want[i]);
  if (!fits(input, wantIn) || !fits(output, wantOut)) {
    throw inputError('MODEL_SHAPE_MISMATCH', `stage ${call.stage.label}: the ${role} "${model.name}" maps ${JSON.stringify(model.inputs.map((i) => i.shape))} → ${JSON.stringify(model.outputs.map((o) => o.shape))}, but the data pairs [batch, ${wantIn.join(', ')}] inputs with [batch, ${wantOut.join(', ')}] targets`,
      'Use one image-to-image generator per role (e.g. the zoo\'s pix2pix-generator with outActivation "sigmoid") built for this data.');
  }
}
