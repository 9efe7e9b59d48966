/**
 * @whittle/plugin-sd-slim — the pieces for slimming a class-conditioned diffusion U-Net after
 * A-SDM (arXiv:2312.15516): custom layers (sinusoidal timestep embedding, self- and
 * cross-attention, CLME-CondConv, GRI attention) with their layer operations, the
 * `diffusion-unet` model builder, DDPM noise schedules and training step, a deterministic DDIM
 * sampler, and residual-block discovery for block bypass. The A-SDM stages themselves (score,
 * prune + incubation, SAS distill) are not built yet: see the README.
 */
import { definePluginManifest } from '@whittle/kernel';
import { registerSdSlimLayers, sdSlimLayers } from './layers/sd-layers.js';
import { diffusionUNetBuilder } from './unet/diffusion-unet-builder.js';

export { multiHeadAttention } from './layers/attention-math.js';
export { SinusoidalTimeEmbedding, type SinusoidalTimeEmbeddingArgs } from './layers/sinusoidal-time-embedding.js';
export { SpatialSelfAttention, type SpatialSelfAttentionArgs } from './layers/spatial-self-attention.js';
export { CrossAttention } from './layers/cross-attention.js';
export { GroupNormalization, groupsFor, type GroupNormalizationArgs } from './layers/group-normalization.js';
export { GriAttention, type GriAttentionArgs } from './gri/gri-attention.js';
export { griSpec } from './gri/gri-spec.js';
export { CondConv2D, type CondConv2DArgs } from './condconv/cond-conv2d.js';
export { condConvSpec } from './condconv/cond-conv-spec.js';
export * from './layers/sd-layer-operations.js';
export { sdSlimLayers, registerSdSlimLayers } from './layers/sd-layers.js';
export { buildDiffusionUNet, DIFFUSION_UNET_DEFAULTS, DIFFUSION_UNET_IO, type DiffusionUNetOptions } from './unet/diffusion-unet.js';
export { diffusionUNetBuilder, DiffusionUNetOptionsSchema } from './unet/diffusion-unet-builder.js';
export { NoiseSchedule, type NoiseScheduleOptions, type ScheduleKind } from './diffusion/noise-schedule.js';
export { noiseBatch, diffusionTrainStep, trainableVariables, type NoisedBatch } from './diffusion/diffusion-training.js';
export { ddimSample, type DdimOptions } from './diffusion/ddim-sampler.js';
export { WeightEma } from './diffusion/weight-ema.js';
export * from './data/diffusion-images.js';
export * from './sampling/class-samples.js';
export { residualBlocks } from './blocks/residual-blocks.js';
export { featurePairs, stageBoundaries, withFeatures, type FeaturePair } from './blocks/stage-boundaries.js';
export { branchLayers, incubationModule, removeBlocks, type BlockRemoval } from './blocks/remove-blocks.js';
export { absorbRemovedConvs, type CondConvAssignment } from './condconv/absorb-removed-convs.js';
export { swapToGri } from './gri/swap-gri.js';
export { trainSlimUNet, type SlimLossWeights, type SlimTrainingData, type SlimTrainingOptions, type SlimTrainingResult } from './distill/slim-training.js';
export { blockRedundancy, type BlockRedundancy, type BlockRedundancyOptions } from './blocks/block-redundancy.js';

registerSdSlimLayers();

export default definePluginManifest({
  name: '@whittle/plugin-sd-slim',
  version: '0.1.0',
  kernel: '^0.1.0',
  layers: sdSlimLayers,
  models: [diffusionUNetBuilder],
});
