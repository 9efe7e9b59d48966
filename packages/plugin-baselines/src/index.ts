/**
 * @whittle/plugin-baselines — the baselines every technique is compared with: `train` (recover),
 * `kd` (distill), `l1-norm` and `random` (score), `uniform` and `global` (prune).
 */
import { definePluginManifest } from '@whittle/kernel';
import { KdPlugin } from './kd-plugin.js';
import { GlobalPrune } from './pruning/global-prune.js';
import { L1NormScore } from './pruning/l1-norm-score.js';
import { RandomScore } from './pruning/random-score.js';
import { UniformPrune } from './pruning/uniform-prune.js';
import { TrainPlugin } from './train-plugin.js';

export { KdPlugin, KdOptionsSchema, type KdOptions } from './kd-plugin.js';
export { TrainPlugin } from './train-plugin.js';
export { L1NormScore } from './pruning/l1-norm-score.js';
export { RandomScore } from './pruning/random-score.js';
export { UniformPrune, UniformPruneOptionsSchema, type UniformPruneOptions } from './pruning/uniform-prune.js';
export { GlobalPrune, GlobalPruneOptionsSchema, type GlobalPruneOptions } from './pruning/global-prune.js';

export default definePluginManifest({
  name: '@whittle/plugin-baselines',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [TrainPlugin, KdPlugin, L1NormScore, RandomScore, UniformPrune, GlobalPrune],
});
