import { resourceOverruns, type Board } from '../hardware/boards.js';
import type { HardwarePoint } from '../hardware/hardware-point.js';
import { resourceUse } from '../hardware/resource-model.js';
import { networkLatency } from '../latency/network-latency.js';
import type { LayerPolicy } from '../policy/layer-policy.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { HARDWARE_ACTIONS } from './action-space.js';

/** A hardware point and the latency it gives a fixed policy. */
export interface TunedHardware {
  readonly hardware: HardwarePoint;
  readonly latencyMs: number;
  /** Points whose latency was computed (those that fit the board). */
  readonly evaluated: number;
}

/** The coarse grid `tuneHardware` starts from, in action units (value = unit · index); Dm and Dn take every value. */
export const TUNING_GRID = { Dk: [1, 2, 3, 4], Bm: [1, 2, 4], Lmem: [1, 2, 4, 8], Rmem: [1, 2] } as const;

function latencyOrNull(gemms: readonly GemmLayer[], hw: HardwarePoint, policyOf: (layer: GemmLayer, index: number) => LayerPolicy): number | null {
  try {
    return networkLatency(gemms, hw, policyOf).totalMs;
  } catch {
    return null;
  }
}

/**
 * The fastest hardware point on `board` for a fixed policy (the single-core and uniform baselines
 * the search is compared with get their own best hardware, found by latency alone): every point of a
 * coarse grid of the search's action space that fits (`TUNING_GRID`, all Dm, Dn ∈ 1..50), then
 * coordinate descent over all six actions' full ranges, one index step at a time, while it improves.
 * `dspOnly`: the LUT array is left at its smallest (it idles at ratio 0) and only Lmem, Rmem are tuned.
 * `arrayLimit` caps the grid's Dm and Dn (a quick run; the descent still reaches 50).
 */
export function tuneHardware(gemms: readonly GemmLayer[], policyOf: (layer: GemmLayer, index: number) => LayerPolicy, board: Board, dspOnly = false, arrayLimit = 50): TunedHardware | undefined {
  const fits = (hw: HardwarePoint) => resourceOverruns(resourceUse(hw), board).length === 0;
  let best: { hardware: HardwarePoint; latencyMs: number } | undefined;
  let evaluated = 0;
  const consider = (hw: HardwarePoint): boolean => {
    if (!fits(hw)) return false;
    const ms = latencyOrNull(gemms, hw, policyOf);
    evaluated++;
    if (ms === null || (best !== undefined && ms >= best.latencyMs)) return false;
    best = { hardware: hw, latencyMs: ms };
    return true;
  };
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  for (const dk of dspOnly ? [1] : TUNING_GRID.Dk) {
    for (const dm of dspOnly ? [1] : range(arrayLimit)) {
      for (const dn of dspOnly ? [1] : range(arrayLimit)) {
        for (const bm of dspOnly ? [1] : TUNING_GRID.Bm) {
          for (const lmem of TUNING_GRID.Lmem) {
            for (const rmem of TUNING_GRID.Rmem) consider({ Dk: 64 * dk, Dm: dm, Dn: dn, Bm: 1024 * bm, Lmem: 1024 * lmem, Rmem: 1024 * rmem });
          }
        }
      }
    }
  }
  if (best === undefined) return undefined;
  const actions = dspOnly ? HARDWARE_ACTIONS.filter((a) => a.key === 'Lmem' || a.key === 'Rmem') : HARDWARE_ACTIONS;
  for (let improved = true; improved;) {
    improved = false;
    for (const action of actions) {
      for (const delta of [-1, 1]) {
        const current = best as { hardware: HardwarePoint; latencyMs: number };
        const index = current.hardware[action.key] / action.unit + delta;
        if (index < action.min || index > action.max) continue;
        if (consider({ ...current.hardware, [action.key]: action.unit * index })) improved = true;
      }
    }
  }
  const found = best as { hardware: HardwarePoint; latencyMs: number };
  return { ...found, evaluated };
}
