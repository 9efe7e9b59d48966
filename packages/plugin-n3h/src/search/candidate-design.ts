import type { ResourceOverrun } from '../hardware/boards.js';
import type { HardwarePoint } from '../hardware/hardware-point.js';
import type { ResourceUse } from '../hardware/resource-model.js';

/** One GEMM layer's part of a searched design: LUT-core bits and the resolved split. */
export interface CandidateLayer {
  readonly layer: string;
  readonly weightBits: number;
  readonly activationBits: number;
  /** Share of output channels on the LUT core (the balancing scan's, a number). */
  readonly ratio: number;
  readonly lutChannels: number;
}

/** What one episode of the search proposes, with its modelled cost. */
export interface CandidateDesign {
  readonly hardware: HardwarePoint;
  readonly layers: readonly CandidateLayer[];
  /** Modelled network latency; null when a buffer cannot hold a layer's tile row (the design cannot run). */
  readonly latencyMs: number | null;
  readonly resources: ResourceUse;
  readonly overruns: readonly ResourceOverrun[];
  /** Fits the board and every layer's tiles fit the buffers. */
  readonly fits: boolean;
  readonly meetsTarget: boolean;
  /** Why the design cannot run, when `latencyMs` is null. */
  readonly infeasibleReason?: string;
  /** Bit steps the environment's `limitToTarget` took off the chosen bits to meet the target (0 or absent: none). */
  readonly bitsLowered?: number;
}

/** A design as the policy file `whittle fpga --policy` and `n3h-quantize`'s `policy` read. */
export function designPolicyJson(design: CandidateDesign): { hardware: HardwarePoint; policy: { layers: Record<string, { weightBits: number; activationBits: number; ratio: number }> } } {
  return {
    hardware: design.hardware,
    policy: { layers: Object.fromEntries(design.layers.map((l) => [l.layer, { weightBits: l.weightBits, activationBits: l.activationBits, ratio: l.ratio }])) },
  };
}
