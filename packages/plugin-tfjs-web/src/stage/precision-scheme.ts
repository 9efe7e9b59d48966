import type { LayerPrecision } from '@whittle/kernel';
import { isQuantizationDtype, type QuantizationDtype } from '../quantize/quantization-dtype.js';

const PREFIX = 'tfjs-web-';

/** The `LayerPrecision.scheme` a `web-quantize` stage sets: `tfjs-web-uint8`, `tfjs-web-uint16`, `tfjs-web-float16`. */
export function precisionScheme(dtype: QuantizationDtype): string {
  return `${PREFIX}${dtype}`;
}

/** Bits per stored weight of a dtype. */
export function weightBitsOf(dtype: QuantizationDtype): number {
  return dtype === 'uint8' ? 8 : 16;
}

/**
 * The dtype an earlier `web-quantize` stage chose, from the run's precision table; undefined when no
 * such stage ran. Several stages with different dtypes: the last one's, which holds for most layers.
 */
export function webQuantizedDtype(precision: ReadonlyMap<string, LayerPrecision>): QuantizationDtype | undefined {
  const counts = new Map<QuantizationDtype, number>();
  for (const p of precision.values()) {
    const dtype = p.scheme?.startsWith(PREFIX) === true ? p.scheme.slice(PREFIX.length) : undefined;
    if (isQuantizationDtype(dtype)) counts.set(dtype, (counts.get(dtype) ?? 0) + 1);
  }
  let best: QuantizationDtype | undefined;
  for (const [dtype, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = dtype;
  return best;
}
