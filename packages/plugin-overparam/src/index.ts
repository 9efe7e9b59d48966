/**
 * @whittle/plugin-overparam — `overparam` (recover): linear over-parameterisation of a pruned
 * network, SP-KD from the dense network, and an exact merge back to the pruned architecture.
 */
import { definePluginManifest } from '@whittle/kernel';
import { OverparamPlugin } from './overparam-plugin.js';

export { OverparamPlugin } from './overparam-plugin.js';
export { OverparamOptionsSchema, layerPattern, type OverparamOptions } from './overparam-options.js';
export { similarityLoss, similarityMatrix } from './similarity-loss.js';
export { trainWithSimilarity, type SimilarityDistillation, type SimilarityTrainingResult } from './similarity-training.js';

export default definePluginManifest({
  name: '@whittle/plugin-overparam',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [OverparamPlugin],
});
