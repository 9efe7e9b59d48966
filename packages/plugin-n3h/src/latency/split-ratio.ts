import type { HardwarePoint } from '../hardware/hardware-point.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { dspCoreMs, lutCoreMs } from './layer-latency.js';
import { roundToHundredths } from './python-round.js';

/**
 * The reference's latency-balancing split (`cal_ratio`, papers.md §4): scan ratio = 0, 0.01, …, 1.00
 * (numpy's `arange(0, 1.01, 0.01)`, i.e. i·0.01) and stop at the first ratio where the DSP core is
 * faster than the LUT core; step back 0.01 if the LUT core there is slower than the DSP core one step
 * before (the max of the two is then lower). No such ratio: 1 (everything on the LUT core). Rounded
 * to 2 decimals as the reference stores it.
 *
 * ```ts
 * balancedRatio(RESNET18_IMAGENET_GEMMS[6]!, REFERENCE_HARDWARE, 4, 4); // 0.63
 * ```
 */
export function balancedRatio(layer: GemmLayer, hw: HardwarePoint, activationBits: number, weightBits: number): number {
  let ratio = 0;
  for (let i = 0; i <= 100; i++) {
    ratio = i * 0.01;
    const lut = lutCoreMs(layer, hw, ratio, activationBits, weightBits);
    if (dspCoreMs(layer, hw, ratio) < lut) {
      if (lut > dspCoreMs(layer, hw, ratio - 0.01)) ratio -= 0.01;
      break;
    }
  }
  return roundToHundredths(ratio);
}
