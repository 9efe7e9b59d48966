import type { LatencyEstimate, LatencyModel } from '@whittle/kernel';
import { LayerOperations } from '@whittle/graph';
import { DEFAULT_DESIGN, designPolicy, readDesignFile } from '../policy/design-file.js';
import { formatHardwarePoint } from '../hardware/hardware-point.js';
import { modelGemms } from '../workload/model-gemms.js';
import { networkLatency } from './network-latency.js';
import { gemmsAtWidths } from './width-gemms.js';

/**
 * Latency model `fpga-n3h`: N3H-Core's analytic DSP/LUT-core latency (see `networkLatency`) of the
 * model at any group widths, for a fixed design read from the request's `tableFile` (the
 * `latencyTable` option of `latency-knapsack`, a design JSON, see `DesignFile`; default: the
 * reference hardware point at W8A8, edges 8-bit, balanced splits). Analytic: no `measure`, the
 * prediction is the figure.
 *
 * ```json
 * { "hook": "prune", "plugin": "latency-knapsack", "options": { "latencyModel": "fpga-n3h", "latencyTable": "design.json", "budgetMs": 2 } }
 * ```
 */
export function fpgaN3hLatencyModel(ops: LayerOperations = LayerOperations.builtIn): LatencyModel {
  return {
    name: 'fpga-n3h',
    description: 'N3H-Core FPGA model: DSP and LUT (bit-serial) GEMM cores in parallel, per-layer split, 100 MHz (analytic).',
    async estimate(model, request): Promise<LatencyEstimate> {
      const design = request.tableFile === undefined ? DEFAULT_DESIGN : await readDesignFile(request.tableFile);
      const gemms = modelGemms(model, ops);
      const atWidths = gemmsAtWidths(model, gemms, ops);
      const policy = designPolicy(design);
      const full = networkLatency(gemms, design.hardware, policy).totalMs;
      request.logger.info(`  fpga-n3h: ${gemms.length} GEMM layers at ${formatHardwarePoint(design.hardware)}: ${full.toFixed(3)} ms unpruned`);
      return {
        predict: (widths) => (widths.size === 0 ? full : networkLatency(atWidths(widths), design.hardware, policy).totalMs),
        figures: { gemmLayers: gemms.length, fpgaFullMs: full },
        artifacts: {},
      };
    },
  };
}
