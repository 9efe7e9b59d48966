import type { DesignEvaluation } from './design-evaluation.js';

/**
 * The FPGA policy as report.html items (the `@whittle/report` item format, written as plain JSON
 * beside `fpga-policy.json`): `fpga-time.report.json`, bars of each core's time per GEMM layer, and
 * `fpga-policy.report.json`, the per-layer table (bits, channel split, time of each core).
 *
 * ```ts
 * for (const [file, text] of Object.entries(policyReportItems(evaluation))) await call.ctx.artifacts.writeFile(file, text);
 * ```
 */
export function policyReportItems(evaluation: DesignEvaluation): Record<string, string> {
  const { layers } = evaluation;
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  const totals = `${evaluation.totalMs.toPrecision(4)} ms in all${evaluation.dspOnlyMs === null ? '' : `; DSP core alone ${evaluation.dspOnlyMs.toPrecision(4)} ms`}${evaluation.lutOnlyMs === null ? '' : `; LUT core alone ${evaluation.lutOnlyMs.toPrecision(4)} ms`}`;
  const bars = {
    kind: 'bars',
    title: 'FPGA time per layer on each core',
    description: `Modelled time of each GEMM layer on the ${evaluation.board} design's LUT and DSP cores, which run side by side (a layer takes the longer of the two): ${totals}`,
    category: 'layer',
    axis: 'ms (modelled)',
    rows: layers.map((l) => ({ layer: l.layer, 'LUT core': l.lutMs, 'DSP core': l.dspMs })),
  };
  const table = {
    kind: 'table',
    title: 'FPGA policy per layer',
    caption: `bits and output-channel split between the LUT and DSP cores, ${evaluation.board}; ${totals}`,
    columns: ['layer', 'weight bits', 'activation bits', 'LUT channels', 'DSP channels', 'LUT ms', 'DSP ms', 'ms'],
    rows: layers.map((l) => [l.layer, l.weightBits, l.activationBits, l.lutChannels, l.dspChannels, l.lutMs, l.dspMs, l.ms]),
  };
  return { 'fpga-time.report.json': json(bars), 'fpga-policy.report.json': json(table) };
}
