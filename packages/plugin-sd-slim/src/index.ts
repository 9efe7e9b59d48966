/**
 * @whittle/plugin-sd-slim — the pieces for slimming a class-conditioned diffusion U-Net after
 * A-SDM (arXiv:2312.15516): custom layers (sinusoidal timestep embedding, self- and
 * cross-attention, CLME-CondConv, GRI attention) with their layer operations, the
 * `diffusion-unet` model builder, DDPM noise schedules and training step, a deterministic DDIM
 * sampler, residual-block discovery and bypass, and the A-SDM stages: `block-redundancy` (score),
 * `sd-incubation` (prune: staged block removal with Deep Incubation, CLME-CondConv, GRI),
 * `sd-finetune` (recover), `sas` (distill) and the `sd-evaluate` deploy target; the
 * `fashion-mnist-diffusion` data, the `class-conditional-diffusion` task and its sampling metrics.
 */
import { definePluginManifest } from '@whittle/kernel';
import { registerSdSlimLayers, sdSlimLayers } from './layers/sd-layers.js';
import { diffusionUNetBuilder } from './unet/diffusion-unet-builder.js';
import { fashionMnistDiffusionProvider } from './data/fashion-mnist-diffusion-provider.js';
import { classConditionalDiffusionTask, diffusionMetricProviders } from './metrics/diffusion-metric-providers.js';
import { BlockRedundancyPlugin } from './stages/block-redundancy-plugin.js';
import { SdIncubationPlugin } from './stages/sd-incubation-plugin.js';
import { SdFinetunePlugin } from './stages/sd-finetune-plugin.js';
import { SasPlugin } from './stages/sas-plugin.js';
import { SdEvaluateTarget } from './stages/sd-evaluate-target.js';

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
export { noiseBatch, noisePredictionMse, diffusionTrainStep, trainableVariables, type NoisedBatch } from './diffusion/diffusion-training.js';
export { ddimSample, type DdimOptions } from './diffusion/ddim-sampler.js';
export { WeightEma } from './diffusion/weight-ema.js';
export * from './data/diffusion-images.js';
export * from './sampling/class-samples.js';
export { residualBlocks } from './blocks/residual-blocks.js';
export { featurePairs, stageBoundaries, withFeatures, type FeaturePair } from './blocks/stage-boundaries.js';
export { branchLayers, incubationModule, removeBlocks, type BlockRemoval } from './blocks/remove-blocks.js';
export { removalForLatency, type RemovalForLatency, type RemovalForLatencyOptions } from './blocks/removal-for-latency.js';
export { absorbRemovedConvs, type CondConvAssignment } from './condconv/absorb-removed-convs.js';
export { swapToGri } from './gri/swap-gri.js';
export { trainSlimUNet, type SlimLossWeights, type SlimTrainingData, type SlimTrainingOptions, type SlimTrainingResult } from './distill/slim-training.js';
export { blockRedundancy, type BlockRedundancy, type BlockRedundancyOptions } from './blocks/block-redundancy.js';

export { DIFFUSION_DEFAULTS, defaultSchedule } from './diffusion/diffusion-defaults.js';
export { blockKey, parseBlockKey } from './blocks/block-key.js';
export * from './data/fashion-mnist-diffusion-provider.js';
export * from './metrics/unet-latency.js';
export * from './metrics/sample-quality.js';
export * from './metrics/diffusion-metric-providers.js';
export { classGridPng, type ClassGridOptions } from './report/sample-grid.js';
export { BlockRedundancyOptionsSchema, BlockRedundancyPlugin, redundancyMarkdown, type BlockRedundancyStageOptions } from './stages/block-redundancy-plugin.js';
export { SdIncubationOptionsSchema, SdIncubationPlugin, type SdIncubationOptions } from './stages/sd-incubation-plugin.js';
export { SdFinetuneOptionsSchema, SdFinetunePlugin, type SdFinetuneOptions } from './stages/sd-finetune-plugin.js';
export { SasOptionsSchema, SasPlugin, type SasOptions } from './stages/sas-plugin.js';
export { SdEvaluateOptionsSchema, SdEvaluateTarget, type SdEvaluateOptions } from './stages/sd-evaluate-target.js';

registerSdSlimLayers();

export default definePluginManifest({
  name: '@whittle/plugin-sd-slim',
  version: '0.1.0',
  kernel: '^0.1.0',
  layers: sdSlimLayers,
  models: [diffusionUNetBuilder],
  plugins: [BlockRedundancyPlugin, SdIncubationPlugin, SdFinetunePlugin, SasPlugin, SdEvaluateTarget],
  datasets: [fashionMnistDiffusionProvider],
  metrics: diffusionMetricProviders,
  tasks: [classConditionalDiffusionTask],
});
