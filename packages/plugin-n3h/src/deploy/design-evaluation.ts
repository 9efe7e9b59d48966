import { resourceOverruns, type Board, type ResourceOverrun } from '../hardware/boards.js';
import type { HardwarePoint } from '../hardware/hardware-point.js';
import { resourceUse, type ResourceUse } from '../hardware/resource-model.js';
import { networkLatency, type LayerDesign } from '../latency/network-latency.js';
import type { LayerPolicy } from '../policy/layer-policy.js';
import type { GemmLayer } from '../workload/gemm-layer.js';

/** One row of the per-layer policy table. */
export interface LayerRow {
  readonly layer: string;
  readonly className: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly weightBits: number;
  readonly activationBits: number;
  readonly ratio: number;
  readonly lutChannels: number;
  readonly dspChannels: number;
  readonly lutCycles: number;
  readonly dspCycles: number;
  readonly lutMs: number;
  readonly dspMs: number;
  readonly ms: number;
}

/** A design evaluated: per-layer table, totals, resources against the board, and the single-core designs beside it. */
export interface DesignEvaluation {
  readonly hardware: HardwarePoint;
  readonly board: string;
  readonly layers: readonly LayerRow[];
  readonly totalMs: number;
  /** The same model and hardware with every layer on the DSP core (ratio 0). */
  readonly dspOnlyMs: number | null;
  /** Every layer on the LUT core (ratio 1) at the design's bits; null where the LUT buffers cannot hold a layer. */
  readonly lutOnlyMs: number | null;
  readonly resources: ResourceUse;
  readonly overruns: readonly ResourceOverrun[];
}

export function layerRow(design: LayerDesign): LayerRow {
  const { layer } = design;
  return {
    layer: layer.name, className: layer.className, m: layer.m, k: layer.k, n: layer.n,
    weightBits: design.weightBits, activationBits: design.activationBits, ratio: design.ratio,
    lutChannels: design.lutChannels, dspChannels: design.dspChannels,
    lutCycles: design.lutCycles, dspCycles: design.dspCycles, lutMs: design.lutMs, dspMs: design.dspMs, ms: design.ms,
  };
}

function totalOrNull(run: () => number): number | null {
  try {
    return run();
  } catch {
    return null;
  }
}

/**
 * Evaluates a design: the network latency of `gemms` at `hw` with each layer's policy, its resources,
 * what it exceeds on `board`, and the DSP-only and LUT-only designs of the same model for comparison.
 */
export function evaluateDesign(gemms: readonly GemmLayer[], hw: HardwarePoint, policyOf: (layer: GemmLayer, index: number) => LayerPolicy, board: Board): DesignEvaluation {
  const latency = networkLatency(gemms, hw, policyOf);
  const resources = resourceUse(hw);
  return {
    hardware: hw,
    board: board.name,
    layers: latency.layers.map(layerRow),
    totalMs: latency.totalMs,
    dspOnlyMs: totalOrNull(() => networkLatency(gemms, hw, (layer, i) => ({ ...policyOf(layer, i), ratio: 0 })).totalMs),
    lutOnlyMs: totalOrNull(() => networkLatency(gemms, hw, (layer, i) => ({ ...policyOf(layer, i), ratio: 1 })).totalMs),
    resources,
    overruns: resourceOverruns(resources, board),
  };
}
