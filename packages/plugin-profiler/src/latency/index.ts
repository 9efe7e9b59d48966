export {
  ACTIVATION_KINDS, channelsFollowInput, LAYER_OPS, MERGE_KINDS, PASSTHROUGH_OPS, signatureKey, WEIGHTED_OPS, withChannels,
  type ActivationKind, type ActivationSignature, type BatchNormSignature, type LayerOp, type LayerSignature, type MergeKind, type MergeSignature,
  type PassthroughOp, type PoolSignature, type SignatureFields, type WeightedOp, type WeightedSignature, type ZeroPadSignature,
} from '@whittle/graph';
export { signatureOfLayer, type LatencyTarget, type LayerDescription } from '@whittle/graph';
export { signatureOp, type SignatureOp } from './signature-op.js';
export { headerDifferences, LatencyTable, type LatencyClock, type LatencyEntry, type LatencyTableExpectation, type LatencyTableHeader, type WholeModelEntry } from './latency-table.js';
export { wholeModelKey } from './whole-model-key.js';
export {
  LATENCY_TABLE_FORMAT, LATENCY_TABLE_VERSION, latencyTableFromBytes, latencyTableFromJson, latencyTableText, latencyTableToJson, type LatencyTableFile,
} from './latency-table-file.js';
export { loadLatencyTable, saveLatencyTable } from './latency-table-fs.js';
export { sampleStats, timeOp, type OpTimes, type SampleStats, type TimeOpOptions } from './time-op.js';
export { measureSignature, type MeasureSignatureOptions } from './measure-signature.js';
export { latencySites, sideWidth, type ChannelSide, type ChannelTerm, type GroupWidths, type LatencySite } from '@whittle/graph';
export { candidateWidths, sideValues, thinOut } from '@whittle/graph';
export { LatencyGrid } from './latency-grid.js';
export { machineNote } from './machine-note.js';
export { fitLatency, uniformWidths, type FitPoint, type LatencyFit } from '@whittle/graph';
export { pruneToWidths } from '@whittle/graph';
export { LATENCY_PREDICTOR_DEFAULTS, LatencyPredictor, type BuildPredictorOptions, type LatencyStatistic, type PredictorBuildStats, type PredictorEvaluation, type PredictorGroup } from './latency-predictor.js';
export { randomHalfWidths } from './random-widths.js';
export { formatProfileReport, profileModel, type PredictorCheck, type ProfileReport } from './profile-model.js';
export { warmUp, type WarmUpOptions } from './warm-up.js';
export { QuietProbe, type QuietProbeOptions } from './quiet-probe.js';
export { measureTable, WHOLE_MODEL_WINDOWS, type ModelClock, type TableMeasurement, type TableMeasurementSettings } from './table-measurement.js';
