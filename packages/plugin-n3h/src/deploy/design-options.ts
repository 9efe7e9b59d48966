import { StringEnum, Type, withDefault } from '@whittle/kernel';
import { BOARDS } from '../hardware/boards.js';
import { REFERENCE_HARDWARE } from '../hardware/hardware-point.js';

const positive = (description: string) => Type.Integer({ minimum: 1, description });

/** The six hardware parameters as an options object (default: the reference point of papers.md §4). */
export const HardwareSchema = withDefault(Type.Object({
  Dk: positive('LUT core: bits per dot-product unit (64·{1..4} in the search).'),
  Dm: positive('LUT core: dot-product array rows.'),
  Dn: positive('LUT core: dot-product array columns.'),
  Bm: positive('LUT core: LHS buffer depth (words).'),
  Lmem: positive('DSP core: activation buffer depth (words).'),
  Rmem: positive('DSP core: weight buffer depth (words).'),
}, { additionalProperties: false, description: 'N3H hardware point.' }), { ...REFERENCE_HARDWARE });

export const BoardSchema = withDefault(StringEnum(Object.keys(BOARDS), { description: 'FPGA the design must fit.' }), 'xc7z020');

/** Uniform LUT-core bits, W<weights>A<activations> (e.g. W4A4), with a default. */
export function bitsOption(description: string, value: string) {
  return withDefault(Type.String({ pattern: '^[Ww][2-8][Aa][2-8]$', description: `${description} W<weights>A<activations>, e.g. W4A4.` }), value);
}

export const RatioSchema = withDefault(Type.Union([Type.Literal('auto'), Type.Number({ minimum: 0, maximum: 1 })], { description: 'Share of output channels on the LUT core: "auto" = the latency-balancing scan per layer.' }), 'auto');
