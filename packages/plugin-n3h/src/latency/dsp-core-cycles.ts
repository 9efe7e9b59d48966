import type { HardwarePoint } from '../hardware/hardware-point.js';
import { designInfeasible } from './design-infeasible.js';

/**
 * The DSP core's fixed configuration in the reference `cal_dsp`: a 16 input × 16 output channel tile,
 * batch 1, the weight buffer in `Dr_Num = 2` banks, a 64-bit bus, 8-bit activations and weights in
 * its read model.
 */
export const DSP_CORE = { inputChannels: 16, outputChannels: 16, batch: 1, weightBanks: 2, busBits: 64, activationBits: 8, weightBits: 8 } as const;

/**
 * Cycles of the DSP core on an `m × k` by `k × n` GEMM: a line-by-line port of `cal_dsp(i, ratio)` in
 * `zhihanxu/N3H-Core` `lib/env/linear_quantize_env_ru.py` (papers.md §4), same operation order.
 * `n` is the DSP share, already `round(N·(1−ratio))`. `fullWidth` is the reference's `S = 1` (first
 * and last layer of the network): K is tiled by 16; otherwise by 32 ("each DSP computes 2 data", two
 * low-bit MACs packed per DSP48). The caller returns 0 for ratio = 1 exactly, as the reference does —
 * an `n` of 0 at any other ratio still pays the fixed read costs, as there.
 */
export function dspCoreCycles(m: number, k: number, n: number, hw: HardwarePoint, fullWidth: boolean, layer = 'layer'): number {
  const { inputChannels, outputChannels, batch, weightBanks, busBits, activationBits, weightBits } = DSP_CORE;
  const tilesK = fullWidth ? Math.ceil(k / inputChannels) : Math.ceil(k / 2 / inputChannels);
  const tilesM = Math.ceil(m / batch);
  const tilesN = Math.ceil(n / outputChannels);
  const regionL = Math.floor(hw.Lmem / tilesK);
  if (regionL === 0) throw designInfeasible(`Lmem (DSP-core activation buffer, ${hw.Lmem} words)`, `needs ${tilesK} words: the K tiles of one row`, layer);
  const regionR = Math.floor(hw.Rmem / tilesK / weightBanks);
  if (regionR === 0) throw designInfeasible(`Rmem (DSP-core weight buffer, ${hw.Rmem} words)`, `needs ${tilesK * weightBanks} words: K tiles × ${weightBanks} banks`, layer);
  const tilesRegionL = Math.floor(tilesM / regionL);
  const lastItersL = tilesM % regionL === 0 ? 0 : tilesM % regionL;
  const tilesRegionR = Math.floor(tilesN / regionR);
  const lastItersR = tilesN % regionR === 0 ? 0 : tilesN % regionR;

  const basic = 32;
  const readR = basic + outputChannels / weightBanks + tilesK * regionR * (inputChannels * weightBits / busBits) * (outputChannels / weightBanks);
  const readL = basic + batch + tilesK * 8 * (inputChannels * activationBits / busBits) * batch;
  const execLite = tilesK * regionR * weightBanks;
  const readLite = tilesK * (inputChannels * activationBits / 64) * batch;
  const sync = execLite > readLite ? 0 : readLite - execLite;
  let syncLast = 0;
  if (lastItersR !== 0) {
    const execLiteLast = tilesK * lastItersR * weightBanks;
    syncLast = execLiteLast > readLite ? 0 : readLite - execLiteLast;
  }
  const exec = tilesK * regionR * regionL * weightBanks * (1 + sync) + 6;
  const liteL = tilesK * lastItersL * weightBanks * regionR * (1 + sync) + readR + basic + batch + tilesK * 8 * (inputChannels * activationBits / 64) * batch;
  const liteR = tilesK * regionL * weightBanks * lastItersR * (1 + syncLast) + readL + basic + outputChannels + basic + outputChannels
    + tilesK * lastItersR * (inputChannels * weightBits / 64) * (outputChannels / weightBanks);
  const liteLR = tilesK * lastItersR * lastItersL * weightBanks * (1 + syncLast) + basic + batch + tilesK * 8 * (inputChannels * activationBits / 64) * batch
    + basic + outputChannels + tilesK * lastItersR * (inputChannels * weightBits / 64) * (outputChannels / weightBanks);
  return tilesRegionL * tilesRegionR * (exec + readR + readL) + tilesRegionR * liteL + tilesRegionL * liteR + liteLR + 32;
}
