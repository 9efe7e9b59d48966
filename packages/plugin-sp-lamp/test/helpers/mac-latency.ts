import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '@whittle/graph';
import { latencySites, sideWidth } from '@whittle/plugin-profiler';
import type { WidthLatency } from '@whittle/kernel';

/**
 * A deterministic stand-in for a measured latency table: every measured layer call costs
 * `msPerMac` × its multiply–accumulates at the widths given, plus `fixedMs`. A layer's cost depends
 * on its input and output widths, as a real table's does; nothing is timed, so tests stay exact.
 *
 * ```ts
 * const latency = macLatency(model, 1e-6, 0.2);
 * latency.predict(new Map([['stem_conv', 4]]));
 * ```
 */
export function macLatency(model: tf.LayersModel, msPerMac: number, fixedMs: number): WidthLatency {
  const sites = latencySites(model, dependencyGroups(model), { backend: 'synthetic', adapter: null, batch: 1 });
  return {
    predict: (widths) => sites.reduce((ms, site) => {
      const s = site.signature;
      const cin = sideWidth(site.cin, widths);
      const positions = (s.height * s.width) / (s.stride[0] * s.stride[1]);
      const taps = s.kernel[0] * s.kernel[1];
      const macs = s.op === 'depthwise' ? positions * taps * cin * s.multiplier : positions * taps * cin * sideWidth(site.cout, widths);
      return ms + msPerMac * macs;
    }, fixedMs),
  };
}
