import type { HardwarePoint } from '../hardware/hardware-point.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { dspCoreCycles } from './dsp-core-cycles.js';
import { lutCoreCycles } from './lut-core-cycles.js';
import { roundHalfEven } from './python-round.js';

/** Clock of both cores: cycles × 1e-5 = ms at 100 MHz (the reference's `Latency * pow(10, -5)`). */
export const MS_PER_CYCLE = 1e-5;

/** The layer's output channels on the LUT core: `round(N·ratio)`, ties to even (Python). */
export function lutChannels(layer: GemmLayer, ratio: number): number {
  return roundHalfEven(layer.n * ratio);
}

/** The layer's output channels on the DSP core: `round(N·(1−ratio))`, ties to even — the reference rounds each side on its own. */
export function dspChannels(layer: GemmLayer, ratio: number): number {
  return roundHalfEven(layer.n * (1 - ratio));
}

export function lutCoreMs(layer: GemmLayer, hw: HardwarePoint, ratio: number, activationBits: number, weightBits: number): number {
  return lutCoreCycles(layer.m, layer.k, lutChannels(layer, ratio), hw, activationBits, weightBits, layer.name) * MS_PER_CYCLE;
}

/** 0 at ratio = 1 exactly (the reference's `if ratio == 1: return 0`). */
export function dspCoreMs(layer: GemmLayer, hw: HardwarePoint, ratio: number): number {
  if (ratio === 1) return 0;
  return dspCoreCycles(layer.m, layer.k, dspChannels(layer, ratio), hw, layer.edge, layer.name) * MS_PER_CYCLE;
}

/** One layer on the two cores at one split. */
export interface LayerTiming {
  readonly ratio: number;
  readonly lutChannels: number;
  readonly dspChannels: number;
  readonly lutCycles: number;
  readonly dspCycles: number;
  readonly lutMs: number;
  readonly dspMs: number;
  /** Both cores run in parallel: the slower one. */
  readonly ms: number;
}

/** A layer's latency at `ratio` (the share of output channels on the LUT core): max of the two cores (`cal_lat`). */
export function layerTiming(layer: GemmLayer, hw: HardwarePoint, ratio: number, activationBits: number, weightBits: number): LayerTiming {
  const lutCycles = lutCoreCycles(layer.m, layer.k, lutChannels(layer, ratio), hw, activationBits, weightBits, layer.name);
  const dspCycles = ratio === 1 ? 0 : dspCoreCycles(layer.m, layer.k, dspChannels(layer, ratio), hw, layer.edge, layer.name);
  const lutMs = lutCycles * MS_PER_CYCLE;
  const dspMs = dspCycles * MS_PER_CYCLE;
  return {
    ratio, lutChannels: lutChannels(layer, ratio), dspChannels: ratio === 1 ? 0 : dspChannels(layer, ratio),
    lutCycles, dspCycles, lutMs, dspMs, ms: dspMs > lutMs ? dspMs : lutMs,
  };
}
