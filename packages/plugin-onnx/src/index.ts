/**
 * @whittle/plugin-onnx — ONNX export of tf.LayersModels through the graph package's layer
 * operations, deploy target `onnxruntime` and latency model `onnxruntime` (ONNX Runtime for Node).
 */
export { exportOnnx, type ExportOnnxOptions, type OnnxExport } from './export/export-onnx.js';
export { ONNX_IR_VERSION, ONNX_OPSET, OnnxGraphBuilder, type OnnxEndpoint } from './export/onnx-graph-builder.js';
export { OrtSession, type OrtFeed, type OrtSessionOptions } from './runtime/ort-session.js';
export { compareWithTfjs, type OutputCheck } from './runtime/output-check.js';
export { timeOrtSession, steadyOrtLatency, ortLatencyRatios, type OrtTimes, type OrtTimingOptions } from './runtime/ort-timing.js';
export { ortModel, randomFeeds, type OrtModel } from './runtime/ort-model.js';
export { profileNodes, type NodeProfile } from './runtime/ort-profile.js';
export { OrtLatencyPredictor, type OrtPredictorOptions, type OrtTableEntry } from './latency/ort-latency-predictor.js';
export { onnxruntimeLatencyModel } from './latency/onnxruntime-latency-model.js';
export { OnnxruntimeOptionsSchema, OnnxruntimeTarget, type OnnxruntimeOptions } from './deploy/onnxruntime-target.js';
export { checkInputs } from './deploy/check-inputs.js';

import { definePluginManifest } from '@whittle/kernel';
import { OnnxruntimeTarget as Target } from './deploy/onnxruntime-target.js';
import { onnxruntimeLatencyModel as latencyModel } from './latency/onnxruntime-latency-model.js';

export default definePluginManifest({
  name: '@whittle/plugin-onnx',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [Target],
  latencyModels: [latencyModel],
});
