/**
 * @whittle/plugin-profiler in a browser (the `browser` export condition): per-layer latency
 * measurement, latency tables and the predictor built from them, on the page's tfjs backend
 * (WebGPU, WebGL, wasm). Tables are read from and written to text (`latencyTableFromBytes`,
 * `latencyTableText`) — a download or an upload — instead of files; the format is the one
 * `whittle profile` writes, so a table measured on a user's device prunes for that device.
 */
export {
  ACTIVATION_KINDS, channelsFollowInput, LAYER_OPS, MERGE_KINDS, PASSTHROUGH_OPS, signatureKey, WEIGHTED_OPS, withChannels,
  type ActivationKind, type ActivationSignature, type BatchNormSignature, type LayerOp, type LayerSignature, type MergeKind, type MergeSignature,
  type PassthroughOp, type PoolSignature, type SignatureFields, type WeightedOp, type WeightedSignature, type ZeroPadSignature,
} from '@whittle/graph';
export { signatureOfLayer, type LatencyTarget, type LayerDescription } from '@whittle/graph';
export { headerDifferences, LatencyTable, type LatencyClock, type LatencyEntry, type LatencyTableExpectation, type LatencyTableHeader, type WholeModelEntry } from './latency/latency-table.js';
export { wholeModelKey } from './latency/whole-model-key.js';
export {
  LATENCY_TABLE_FORMAT, LATENCY_TABLE_VERSION, latencyTableFromBytes, latencyTableFromJson, latencyTableText, latencyTableToJson, type LatencyTableFile,
} from './latency/latency-table-file.js';
export { sampleStats, timeOp, type OpTimes, type SampleStats, type TimeOpOptions } from './latency/time-op.js';
export { measureSignature, type MeasureSignatureOptions } from './latency/measure-signature.js';
export { latencySites, sideWidth, type ChannelSide, type ChannelTerm, type GroupWidths, type LatencySite } from '@whittle/graph';
export { LATENCY_PREDICTOR_DEFAULTS, LatencyPredictor, type BuildPredictorOptions, type LatencyStatistic, type PredictorBuildStats, type PredictorEvaluation, type PredictorGroup } from './latency/latency-predictor.js';
export { formatProfileReport, profileModel, type PredictorCheck, type ProfileReport } from './latency/profile-model.js';
export { machineNote } from './latency/machine-note.js';
