import { DSP_CORE } from '../latency/dsp-core-cycles.js';
import type { HardwarePoint } from './hardware-point.js';

/**
 * FPGA resources of one N3H design. The reference code has no resource model (its search bounds
 * resources only through the action ranges, papers.md §4), so these counts are reconstructed from
 * the cores' structure; every constant below says where it comes from. They are estimates for
 * checking designs against a board, not synthesis results.
 */
export interface ResourceUse {
  readonly dsp: number;
  readonly lut: number;
  readonly bram36: number;
  /** The terms each total is made of, for the deploy report. */
  readonly breakdown: Readonly<Record<string, number>>;
}

/** Usable data bits of one BRAM36 (36 Kb including 4 Kb parity; 32 Kb of data at widths ≥ 9 bits). */
const BRAM36_WIDE = { width: 72, depth: 512 } as const;
const BRAM36_NARROW = { width: 36, depth: 1024 } as const;

/**
 * BRAM36 blocks for one memory `width` bits wide and `depth` words deep: the cheaper of the two
 * 32-Kb-data aspect ratios Xilinx 7-series block RAM offers (512×72, 1K×36), tiled, as Vivado infers a
 * wide deep memory. (7-series memory resources user guide UG473: RAMB36E1 modes.)
 */
export function bram36For(width: number, depth: number): number {
  const tiles = (shape: { width: number; depth: number }) => Math.ceil(width / shape.width) * Math.ceil(depth / shape.depth);
  return Math.min(tiles(BRAM36_WIDE), tiles(BRAM36_NARROW));
}

/**
 * The LUT core's RHS (weight) buffer depth in Dk-bit words. Fixed in the reference (`RMEM = 1024 * 1
 * # NO impact`): its latency model ignores it, so it is a constant of the design here too.
 */
export const LUT_CORE_RHS_DEPTH = 1024;

/**
 * LUTs per BISMO dot-product unit of Dk bits: Dk AND gates + a Dk-input popcount folded into one
 * compressor tree (≈ 1.5 LUT6 per input bit, [assumption] from 6:3 compressor trees: a 6-LUT triple
 * reduces 6 bits to 3) and a 32-bit shift-and-accumulate with negation for the sign bit plane
 * (≈ 64 LUT6, [assumption]: one LUT per bit for add, one for the shift/negate mux).
 */
export function lutPerDotProductUnit(Dk: number): number {
  return Math.ceil(1.5 * Dk) + 64;
}

/**
 * Fixed LUTs [assumption]: the LUT core's fetch, execute and result stages with their DMA and
 * instruction queues (BISMO's infrastructure, ≈ 6,000 LUT6) plus the DSP core's control, packing
 * and 16 output accumulators of 32 bits with requantization (≈ 4,000 LUT6) and the shared AXI
 * interconnect (≈ 2,000 LUT6).
 */
export const FIXED_LUTS = { lutCoreInfrastructure: 6000, dspCoreLogic: 4000, interconnect: 2000 } as const;

/**
 * DSP48 slices of the DSP core: its 16 input × 16 output channel tile is processed over
 * `Dr_Num = 2` cycles per tile row in the reference's cycle model (`execLatencyLite = tiles_k ·
 * region_r · Dr_Num`): 16 · 16 / 2 = 128 multipliers per cycle, one 8-bit MAC each in the first and
 * last layers, two packed low-bit MACs each elsewhere (the reference halves `tiles_k` there). The LUT
 * core uses no DSPs (bit-serial AND + popcount).
 */
export function dspCoreSlices(): number {
  return (DSP_CORE.inputChannels * DSP_CORE.outputChannels) / DSP_CORE.weightBanks;
}

/**
 * DSP, LUT and BRAM36 use of a design at hardware point `hw`:
 * - DSP = 16·16/Dr_Num (see `dspCoreSlices`);
 * - LUT = Dm·Dn·LUT_DPU(Dk) + fixed logic (see `lutPerDotProductUnit`, `FIXED_LUTS`);
 * - BRAM36 = LUT-core LHS buffers (Dm memories of Bm words × Dk bits: BISMO keeps one LHS buffer per
 *   array row) + RHS buffers (Dn memories of 1024 words × Dk bits, one per column) + DSP-core
 *   activation buffer (Lmem words × 16 channels × 8 bits) + weight buffer (Dr_Num banks of Rmem words ×
 *   16·8 bits each: the reference reads weights from `Dr_Num` banks, `region_r = Dr/tiles_k/Dr_Num`).
 *
 * ```ts
 * resourceUse(REFERENCE_HARDWARE); // { dsp: 128, lut: 44_768, bram36: 368, … }
 * ```
 */
export function resourceUse(hw: HardwarePoint): ResourceUse {
  const dotProductUnits = hw.Dm * hw.Dn;
  const lutArray = dotProductUnits * lutPerDotProductUnit(hw.Dk);
  const fixedLuts = FIXED_LUTS.lutCoreInfrastructure + FIXED_LUTS.dspCoreLogic + FIXED_LUTS.interconnect;
  const dspWordBits = DSP_CORE.inputChannels * DSP_CORE.activationBits;
  const lhs = hw.Dm * bram36For(hw.Dk, hw.Bm);
  const rhs = hw.Dn * bram36For(hw.Dk, LUT_CORE_RHS_DEPTH);
  const dspActivations = bram36For(dspWordBits, hw.Lmem);
  const dspWeights = DSP_CORE.weightBanks * bram36For(DSP_CORE.inputChannels * DSP_CORE.weightBits, hw.Rmem);
  const dsp = dspCoreSlices();
  return {
    dsp,
    lut: lutArray + fixedLuts,
    bram36: lhs + rhs + dspActivations + dspWeights,
    breakdown: {
      dspCoreSlices: dsp, lutArray, lutFixed: fixedLuts,
      bramLutCoreLhs: lhs, bramLutCoreRhs: rhs, bramDspCoreActivations: dspActivations, bramDspCoreWeights: dspWeights,
    },
  };
}
