/**
 * @whittle/plugin-n3h — N3H-Core (FPGA '22, papers.md §4) for Whittle: the analytic latency model of
 * a DSP-based and a LUT-based (bit-serial, BISMO) GEMM core running each layer's output channels in
 * parallel (latency model and deploy target `fpga-n3h`), its resource model and Zynq boards, N3H
 * mixed-precision quantization (`n3h-quantize`) with QAT (`n3h-qat`), and the DDPG design search.
 */
import { definePluginManifest } from '@whittle/kernel';
import { FpgaN3hTarget } from './deploy/fpga-n3h-target.js';
import { fpgaN3hLatencyModel } from './latency/fpga-n3h-latency-model.js';
import { n3hLayerOperations } from './layer-operations.js';
import { fakeQuantOperation, N3hFakeQuant } from './quantize/fake-quant-layer.js';
import { N3hQatPlugin } from './quantize/n3h-qat-plugin.js';
import { N3hQuantizePlugin } from './quantize/n3h-quantize-plugin.js';

export * from './hardware/hardware-point.js';
export * from './hardware/boards.js';
export * from './hardware/resource-model.js';
export * from './latency/lut-core-cycles.js';
export * from './latency/dsp-core-cycles.js';
export * from './latency/layer-latency.js';
export * from './latency/network-latency.js';
export * from './latency/split-ratio.js';
export { roundHalfEven } from './latency/python-round.js';
export { fpgaN3hLatencyModel } from './latency/fpga-n3h-latency-model.js';
export * from './policy/layer-policy.js';
export * from './policy/design-file.js';
export * from './workload/gemm-layer.js';
export * from './workload/model-gemms.js';
export * from './deploy/design-evaluation.js';
export { formatDesign } from './deploy/format-design.js';
export { FpgaN3hTarget, FpgaN3hOptionsSchema, policyTable, runPolicy, type FpgaN3hOptions } from './deploy/fpga-n3h-target.js';
export * from './quantize/fake-quantize.js';
export * from './quantize/kl-range.js';
export * from './quantize/channel-split.js';
export { N3hFakeQuant, fakeQuantOperation, type FakeQuantConfig } from './quantize/fake-quant-layer.js';
export * from './quantize/n3h-quantizer.js';
export * from './quantize/qat-fine-tune.js';
export { N3hQuantizePlugin, N3hQuantizeOptionsSchema, type N3hQuantizeOptions } from './quantize/n3h-quantize-plugin.js';
export { N3hQatPlugin, N3hQatOptionsSchema, type N3hQatOptions } from './quantize/n3h-qat-plugin.js';
export { n3hLayerOperations } from './layer-operations.js';
export * from './search/index.js';

export default definePluginManifest({
  name: '@whittle/plugin-n3h',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [N3hQuantizePlugin, N3hQatPlugin, FpgaN3hTarget],
  latencyModels: [fpgaN3hLatencyModel(n3hLayerOperations())],
  layers: [{ className: N3hFakeQuant.className, serializable: N3hFakeQuant, operation: fakeQuantOperation }],
});
