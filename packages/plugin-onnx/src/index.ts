/**
 * @whittle/plugin-onnx — ONNX export of tf.LayersModels through the graph package's layer
 * operations, deploy target `onnxruntime` and latency model `onnxruntime` (ONNX Runtime for Node).
 */
export { exportOnnx, type ExportOnnxOptions, type OnnxExport } from './export/export-onnx.js';
export { ONNX_IR_VERSION, ONNX_OPSET, OnnxGraphBuilder, type OnnxEndpoint } from './export/onnx-graph-builder.js';
export { OrtSession, type OrtFeed, type OrtSessionOptions } from './runtime/ort-session.js';
export { compareWithTfjs, type OutputCheck } from './runtime/output-check.js';
