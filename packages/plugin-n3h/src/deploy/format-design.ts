import { formatHardwarePoint } from '../hardware/hardware-point.js';
import type { Board } from '../hardware/boards.js';
import { describeOverrun } from '../hardware/boards.js';
import type { DesignEvaluation } from './design-evaluation.js';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The deploy report as a person reads it: per layer M, K, N, bits, split, each core's cycles and ms; totals, single-core designs, resources. */
export function formatDesign(evaluation: DesignEvaluation, board: Board): string {
  const width = Math.max(5, ...evaluation.layers.map((l) => l.layer.length));
  const header = `${pad('layer', width)} ${pad('M', 6, true)} ${pad('K', 5, true)} ${pad('N', 5, true)}  bits  ratio  N_lut N_dsp  ${pad('lut cycles', 11, true)} ${pad('dsp cycles', 11, true)} ${pad('lut ms', 8, true)} ${pad('dsp ms', 8, true)} ${pad('ms', 8, true)}`;
  const rows = evaluation.layers.map((l) => [
    pad(l.layer, width), pad(String(l.m), 6, true), pad(String(l.k), 5, true), pad(String(l.n), 5, true),
    ` W${l.weightBits}A${l.activationBits}`, pad(l.ratio.toFixed(2), 5, true), pad(String(l.lutChannels), 6, true), pad(String(l.dspChannels), 5, true),
    ` ${pad(l.lutCycles.toFixed(0), 11, true)}`, pad(l.dspCycles.toFixed(0), 11, true), pad(l.lutMs.toFixed(3), 8, true), pad(l.dspMs.toFixed(3), 8, true), pad(l.ms.toFixed(3), 8, true),
  ].join(' '));
  const r = evaluation.resources;
  const fit = evaluation.overruns.length === 0 ? `fits ${board.name}` : `does NOT fit ${board.name}: ${evaluation.overruns.map((o) => describeOverrun(o, board)).join('; ')}`;
  const ms = (v: number | null) => (v === null ? 'n/a (LUT buffers too small)' : `${v.toFixed(2)} ms`);
  return [
    `N3H design ${formatHardwarePoint(evaluation.hardware)} at 100 MHz`,
    header,
    ...rows,
    `total ${evaluation.totalMs.toFixed(2)} ms (heterogeneous); DSP-only ${ms(evaluation.dspOnlyMs)}; LUT-only ${ms(evaluation.lutOnlyMs)}`,
    `resources: DSP ${r.dsp}/${board.dsp}, LUT ${r.lut}/${board.lut}, BRAM36 ${r.bram36}/${board.bram36} — ${fit}`,
    '',
  ].join('\n');
}
