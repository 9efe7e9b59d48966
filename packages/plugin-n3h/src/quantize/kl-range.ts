import { quantLevels } from './fake-quantize.js';

const HISTOGRAM_BINS = 2048;

function klDivergence(p: Float64Array, q: Float64Array): number {
  let sumP = 0;
  let sumQ = 0;
  for (let i = 0; i < p.length; i++) {
    sumP += p[i] as number;
    sumQ += q[i] as number;
  }
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sumP;
    if (pi === 0) continue;
    const qi = (q[i] as number) / sumQ;
    kl += qi === 0 ? pi * Math.log(pi / 1e-10) : pi * Math.log(pi / qi);
  }
  return kl;
}

/**
 * The clipping range for `values` at `bits` by TensorRT's entropy calibration (the KL-divergence
 * threshold search N3H's `quantize_utils_ru.py` uses below 5 activation bits): a 2048-bin histogram of
 * |x|; for each candidate threshold bin i, P = the first i bins with the tail folded into bin i−1,
 * Q = P merged into `levels` bins and expanded back over P's non-empty bins; the threshold with the
 * smallest KL(P‖Q) wins. The histogram leaves exact zeros out (see below). Returns 1 when every value is 0.
 */
export function klRange(values: Float32Array, bits: number, signed: boolean): number {
  let maxAbs = 0;
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  if (maxAbs === 0) return 1;
  const levels = quantLevels(bits, signed);
  const histogram = new Float64Array(HISTOGRAM_BINS);
  const width = maxAbs / HISTOGRAM_BINS;
  // Exact zeros (half or more of a post-ReLU tensor) are left out: every range represents 0 exactly,
  // and their spike in the first bin would otherwise dominate KL(P‖Q) and pick a threshold of a few
  // bins (a 4-bit range of 0.02 for values up to 2.7 on ResNet-20, which collapses accuracy to chance).
  for (const v of values) if (v !== 0) histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(v) / width))]! += 1;
  let bestKl = Infinity;
  let bestBin = HISTOGRAM_BINS;
  // Coarser candidate steps keep it fast; the answer moves by < 1 % of the range.
  const step = Math.max(1, Math.floor(HISTOGRAM_BINS / 256));
  for (let i = Math.max(levels, 2); i <= HISTOGRAM_BINS; i += step) {
    const p = histogram.slice(0, i);
    let tail = 0;
    for (let j = i; j < HISTOGRAM_BINS; j++) tail += histogram[j] as number;
    p[i - 1]! += tail;
    // Q: the first i bins (without the tail) merged into `levels` bins, spread back over the non-empty ones.
    const q = new Float64Array(i);
    const perLevel = i / levels;
    for (let level = 0; level < levels; level++) {
      const start = Math.floor(level * perLevel);
      const end = level === levels - 1 ? i : Math.floor((level + 1) * perLevel);
      let sum = 0;
      let nonZero = 0;
      for (let j = start; j < end; j++) {
        sum += histogram[j] as number;
        if ((histogram[j] as number) > 0) nonZero++;
      }
      for (let j = start; j < end; j++) if ((histogram[j] as number) > 0) q[j] = sum / nonZero;
    }
    const kl = klDivergence(p, q);
    if (kl < bestKl) {
      bestKl = kl;
      bestBin = i;
    }
  }
  return (bestBin + 0.5) * width;
}
