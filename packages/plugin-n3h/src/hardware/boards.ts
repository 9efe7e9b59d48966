import { inputError } from '@whittle/kernel';
import type { ResourceUse } from './resource-model.js';

/** An FPGA's resources (Xilinx Zynq-7000 product table, DS190). */
export interface Board {
  readonly name: string;
  readonly dsp: number;
  readonly lut: number;
  readonly bram36: number;
}

/** Zynq-7000 parts N3H-Core's setting points to (papers.md §4, Boards): XC7Z020 (PYNQ-Z1, BISMO's board) and XC7Z045 (ZC706). */
export const BOARDS: Readonly<Record<string, Board>> = {
  xc7z020: { name: 'XC7Z020', dsp: 220, lut: 53_200, bram36: 140 },
  xc7z045: { name: 'XC7Z045', dsp: 900, lut: 218_600, bram36: 545 },
};

export function boardNamed(name: string, where = '--board'): Board {
  const board = BOARDS[name.toLowerCase()];
  if (board === undefined) throw inputError('N3H_UNKNOWN_BOARD', `${where}: unknown board ${JSON.stringify(name)}`, `Use one of: ${Object.keys(BOARDS).join(', ')}.`);
  return board;
}

/** A resource a design uses more of than the board has. */
export interface ResourceOverrun {
  readonly resource: 'DSP' | 'LUT' | 'BRAM36';
  readonly used: number;
  readonly available: number;
  readonly over: number;
}

/** The resources `use` exceeds on `board` (empty: it fits). */
export function resourceOverruns(use: ResourceUse, board: Board): ResourceOverrun[] {
  const checks = [['DSP', use.dsp, board.dsp], ['LUT', use.lut, board.lut], ['BRAM36', use.bram36, board.bram36]] as const;
  return checks.filter(([, used, available]) => used > available).map(([resource, used, available]) => ({ resource, used, available, over: used - available }));
}

/** "BRAM36: needs 368, XC7Z020 has 140 (228 over, 263 %)". */
export function describeOverrun(overrun: ResourceOverrun, board: Board): string {
  return `${overrun.resource}: needs ${overrun.used}, ${board.name} has ${overrun.available} (${overrun.over} over, ${Math.round((100 * overrun.used) / overrun.available)} %)`;
}

/** Throws an input error naming every resource the design exceeds and by how much. */
export function requireFits(use: ResourceUse, board: Board, design: string): void {
  const overruns = resourceOverruns(use, board);
  if (overruns.length === 0) return;
  throw inputError('N3H_DESIGN_DOES_NOT_FIT', `design ${design} does not fit ${board.name}: ${overruns.map((o) => describeOverrun(o, board)).join('; ')}`,
    'Shrink the hardware point (Bm and Lmem set the BRAM, Dm·Dn·Dk the LUTs), or choose a larger board (--board xc7z045).');
}
