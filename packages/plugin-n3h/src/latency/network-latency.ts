import type { HardwarePoint } from '../hardware/hardware-point.js';
import type { LayerPolicy } from '../policy/layer-policy.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { layerTiming, type LayerTiming } from './layer-latency.js';
import { balancedRatio } from './split-ratio.js';

/** One layer of a design: its GEMM, bits, and timing at the (resolved) split. */
export interface LayerDesign extends LayerTiming {
  readonly layer: GemmLayer;
  readonly weightBits: number;
  readonly activationBits: number;
}

export interface NetworkLatency {
  readonly layers: readonly LayerDesign[];
  /** The cores run one layer at a time: the sum of the layers' latencies (`_cur_cost`). */
  readonly totalMs: number;
}

/**
 * The network's latency on the heterogeneous cores: each layer at its bits and split (`auto`: the
 * balancing scan, `balancedRatio`), layer = max of the cores, network = sum over layers.
 *
 * ```ts
 * networkLatency(RESNET18_IMAGENET_GEMMS, REFERENCE_HARDWARE, () => ({ weightBits: 4, activationBits: 4, ratio: 'auto' })).totalMs; // 36.64
 * ```
 */
export function networkLatency(layers: readonly GemmLayer[], hw: HardwarePoint, policyOf: (layer: GemmLayer, index: number) => LayerPolicy): NetworkLatency {
  let totalMs = 0;
  const designs = layers.map((layer, index) => {
    const { weightBits, activationBits, ratio } = policyOf(layer, index);
    const resolved = ratio === 'auto' ? balancedRatio(layer, hw, activationBits, weightBits) : ratio;
    const timing = layerTiming(layer, hw, resolved, activationBits, weightBits);
    totalMs += timing.ms;
    return { ...timing, layer, weightBits, activationBits };
  });
  return { layers: designs, totalMs };
}
