/**
 * @whittle/plugin-baselines — the baselines every technique is compared with: `train` (recover) and
 * `kd` (distill).
 */
import { definePluginManifest, KERNEL_VERSION } from '@whittle/kernel';
import { KdPlugin } from './kd-plugin.js';
import { TrainPlugin } from './train-plugin.js';

export { KdPlugin, type KdOptions } from './kd-plugin.js';
export { TrainPlugin } from './train-plugin.js';
export { trainLoop, type BatchLoss, type TrainLoopResult } from './training/train-loop.js';
export { learningRateAt, trainingOptionsProperties, type TrainingOptions } from './training/training-options.js';

export default definePluginManifest({
  name: '@whittle/plugin-baselines',
  version: '0.1.0',
  kernel: `^${KERNEL_VERSION}`,
  plugins: [TrainPlugin, KdPlugin],
});
