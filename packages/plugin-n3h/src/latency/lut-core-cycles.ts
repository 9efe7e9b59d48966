import type { HardwarePoint } from '../hardware/hardware-point.js';
import { designInfeasible } from './design-infeasible.js';

/** Bus width of the LUT core's fetch stage in bits (`f` in the reference). */
const BUS_BITS = 64;
/** Fixed costs in cycles from the reference `cal_bismo`: start-up, fetch issue, fetch transfer (6+1+2), sync. */
const BASE_CYCLES = 238;
const FETCH_BASE = 32;
const FETCH_TRANSFER = 6 + 1 + 2;
const SYNC_CYCLES = 5;

/**
 * Cycles of the LUT core (the BISMO bit-serial overlay) on an `m × k` by `k × n` GEMM at `activationBits`
 * (LHS) and `weightBits` (RHS): a line-by-line port of `cal_bismo(i, ratio, Ab, Bb)` in
 * `zhihanxu/N3H-Core` `lib/env/linear_quantize_env_ru.py` (papers.md §4), in the same order of
 * floating-point operations. `n` is the layer's LUT share, already `round(N·ratio)`; 0 costs 0 cycles.
 * Execution time grows as Wb·Ab (one binary matrix product per bit pair).
 *
 * ```ts
 * lutCoreCycles(3136, 576, 32, REFERENCE_HARDWARE, 4, 4); // cycles at 100 MHz: × 1e-5 = ms
 * ```
 */
export function lutCoreCycles(m: number, k: number, n: number, hw: HardwarePoint, activationBits: number, weightBits: number, layer = 'layer'): number {
  if (n === 0) return 0;
  const tilesM = Math.ceil(m / hw.Dm);
  const tilesN = Math.ceil(n / hw.Dn);
  const tilesK = Math.ceil(k / hw.Dk);
  const lmemRegionSize = tilesK * activationBits;
  const lmemRegions = Math.floor(hw.Bm / lmemRegionSize);
  if (lmemRegions === 0) throw designInfeasible(`Bm (LUT-core LHS buffer, ${hw.Bm} words)`, `needs ${lmemRegionSize} words: ceil(K/Dk)·Ab`, layer);
  let lhsFetches = Math.floor(tilesM / lmemRegions);
  if (tilesM % lmemRegions !== 0) lhsFetches += 1;
  const lastIterM = tilesM % lmemRegions;
  const totalIters = lastIterM !== 0
    ? lmemRegions * tilesN * (lhsFetches - 1) + lastIterM * tilesN
    : lmemRegions * tilesN * lhsFetches;

  const lfetchBram = hw.Dm * (hw.Dk * activationBits * tilesK / BUS_BITS);
  const rfetchBram = hw.Dn * (tilesK * weightBits * hw.Dk / BUS_BITS);
  const execCycles = (tilesK + 8) * weightBits * activationBits + 8;
  const lfetchCycles = FETCH_BASE + FETCH_TRANSFER + lfetchBram + SYNC_CYCLES;

  const delta = lfetchCycles - 1 > execCycles ? 0 : 10 + (lmemRegions - 3) * (execCycles - lfetchCycles);
  let fetchReceive = 0;
  if (totalIters > lmemRegions + 3) {
    if (lhsFetches > 1) fetchReceive = ((lmemRegions - 3) * (tilesN - 1) * lhsFetches + lastIterM) * execCycles;
    else if (lastIterM > 3) fetchReceive = (lastIterM - 3) * (tilesN - 1) * execCycles;
  }
  fetchReceive = fetchReceive + delta * lhsFetches;

  const lfetchRunSync = (FETCH_BASE + FETCH_TRANSFER + lfetchBram + SYNC_CYCLES) * totalIters / tilesN;
  const rfetchRunSync = (FETCH_BASE + FETCH_TRANSFER + rfetchBram + SYNC_CYCLES) * lhsFetches * tilesN;
  return BASE_CYCLES + lfetchRunSync + rfetchRunSync + fetchReceive;
}
