import * as tf from '@tensorflow/tfjs';

/** The Keras-converted LayersModels nsfwjs ships (model.json and base64 weight shards as JS modules; uint8-quantized weights). */
export type NsfwjsModel = 'mobilenet_v2' | 'inception_v3';

interface BundledModel {
  readonly numOfWeightBundles: number;
  modelJson(): Promise<{ default: { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] } }>;
  readonly weightBundles: readonly (() => Promise<{ default: string }>)[];
}

async function bundled(name: NsfwjsModel): Promise<BundledModel> {
  if (name === 'mobilenet_v2') return (await import('nsfwjs/models/mobilenet_v2')).MobileNetV2Model as unknown as BundledModel;
  return (await import('nsfwjs/models/inception_v3')).InceptionV3Model as unknown as BundledModel;
}

/**
 * A real Keras-converted model with its trained weights, as nsfwjs 4.4 ships it: MobileNetV2
 * (224×224, Keras 2.2.4, 5 classes) or InceptionV3 (299×299, Keras 2.2.4, 5 classes).
 */
export async function loadNsfwjsModel(name: NsfwjsModel): Promise<tf.LayersModel> {
  const model = await bundled(name);
  const json = (await model.modelJson()).default;
  const shards = await Promise.all(model.weightBundles.map(async (load) => Buffer.from((await load()).default, 'base64')));
  const joined = Buffer.concat(shards);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
}
