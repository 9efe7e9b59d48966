/**
 * @whittle/graph — a tfjs LayersModel as a graph of coupled channels, and physical surgery on it.
 */
export { ModelGraph, type GraphNode, type GraphLayer, type Shape, type TensorRef } from './graph/model-graph.js';
export type { LayerConfigJson, JsonValue } from './topology/keras-json.js';
export type {
  ActivationKind, AxisRole, ConcreteLayerCall, Cost, CostFunction, FilterWeight, GemmShape, LatencyCall, LatencyGeometry, LatencyInputs,
  LayerKeep, LayerOperation, MergeKind, WeightAxis, WeightedLatencyOp,
} from './layers/layer-operation.js';
export type { OnnxAttribute, OnnxLayout, OnnxLowering, OnnxLoweringContext, OnnxValue, OnnxWeight } from './layers/onnx-lowering.js';
export { LayerOperations, layerOperationsOf, type LayerOperationSource } from './layers/layer-operations.js';
export { kerasLayerConfig } from './layers/keras-config.js';
export { memberIndices, type DependencyGroup, type GroupMember } from './channels/dependency-group.js';
export { dependencyGroups } from './channels/dependency-groups.js';
export { channelRuleFor, type ChannelRule } from './channels/channel-rules.js';
export type { ChannelPlan } from './surgery/channel-plan.js';
export { pruneChannels } from './surgery/prune-channels.js';
export type { LayerSpec } from './surgery/layer-spec.js';
export { replaceLayer } from './surgery/replace-layer.js';
export { insertAfter } from './surgery/insert-after.js';
export { removeLayer } from './surgery/remove-layer.js';
export { bypassBlock, dependsOn, type BlockBounds } from './surgery/bypass-block.js';
export { repeatedInputs, separateRepeatedInputs, type RepeatedInput } from './surgery/repeated-inputs.js';
export { sameShape } from './surgery/surgery-build.js';
export { groupCosts, type GroupCost, type LayerChannelCost } from './costs/group-costs.js';
export { layerCosts, totalMacs, type LayerCost } from './costs/layer-costs.js';
export { batchNormScale, filterMagnitudes, hasFilters, layerWeight, type FilterNorm } from './importance/filter-magnitudes.js';
export { scoredGroups, type ScoredGroup } from './importance/scored-groups.js';
export { magnitudeImportance, type ImportanceReduction, type MagnitudeImportance } from './importance/magnitude-importance.js';
export { lampNormalise, normaliseImportance, type ImportanceNormaliser } from './importance/importance-normaliser.js';
export { randomImportance } from './importance/random-importance.js';
export { pruningPlan, uniformKeep, type PruningAmount, type PruningPlan, type PruningPlanOptions } from './importance/pruning-plan.js';
export type { ExpansionPlan, LinearExpansion, LinearPart } from './layers/expansion/linear-expansion.js';
export { expandLinear, type ExpandLinearOptions, type LinearExpansionResult, type SkippedLayer } from './surgery/expand-linear.js';
export { expandedBlocks, mergeLinear } from './surgery/merge-linear.js';
export { blockPartNames, HEAD_SUFFIX, MIXER_SUFFIX, type ExpandedBlock } from './surgery/expanded-block.js';
export {
  ACTIVATION_KINDS, channelsFollowInput, LAYER_OPS, MERGE_KINDS, PASSTHROUGH_OPS, signatureKey, WEIGHTED_OPS, withChannels,
  type ActivationSignature, type BatchNormSignature, type LayerOp, type LayerSignature, type MergeSignature,
  type PassthroughOp, type PoolSignature, type SignatureFields, type WeightedOp, type WeightedSignature, type ZeroPadSignature,
} from './latency/layer-signature.js';
export { signatureOfLayer, type LatencyTarget, type LayerDescription } from './latency/signature-of-layer.js';
export { latencySites, sideWidth, type ChannelSide, type ChannelTerm, type GroupWidths, type LatencySite } from './latency/latency-site.js';
export { candidateWidths, sideValues, thinOut } from './latency/width-steps.js';
export { fitLatency, sameWidths, uniformWidths, type FitPoint, type LatencyFit } from './latency/latency-fit.js';
export { pruneToWidths } from './latency/prune-to-widths.js';
