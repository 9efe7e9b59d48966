export * from './builders/small-cnn.js';
export * from './builders/resnet.js';
export * from './builders/resnet18-imagenet.js';
export * from './builders/vgg-small.js';
export * from './builders/mobilenet-v2-style.js';
export * from './builders/inception-style.js';
export * from './builders/unet.js';
export * from './builders/pix2pix-generator.js';
export * from './builders/patchgan-discriminator.js';
export type { ImageShape } from './common/validate-options.js';
export { OPTION_LIMITS } from './common/validate-options.js';
export type { OutputActivation } from './common/output-activation.js';
export { ZOO_BN_MOMENTUM } from './common/batch-norm.js';
export * from './keras/keras-applications.js';
export type { KerasModelJson } from './keras/keras-model-json.js';
export { randomKerasWeights } from './keras/random-keras-weights.js';
export { zooModelBuilders } from './pipeline/zoo-model-builders.js';

import { definePluginManifest } from '@whittle/kernel';
import { zooModelBuilders as builders } from './pipeline/zoo-model-builders.js';

/** The zoo as a plugin package: a pipeline's `model.builder` can name any of its builders. */
export default definePluginManifest({
  name: '@whittle/zoo',
  version: '0.1.0',
  kernel: '^0.1.0',
  models: builders,
});
