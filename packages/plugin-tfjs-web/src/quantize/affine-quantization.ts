
/** The affine mapping of one tensor: `value = q × scale + min`, q an unsigned integer. */
export interface AffineParams {
  readonly scale: number;
  readonly min: number;
}

const QUANT_MAX: Readonly<Record<'uint8' | 'uint16', number>> = { uint8: 255, uint16: 65535 };

/**
 * `scale` and `min` for values in [min, max], as tfjs-converter's `quantization.py` computes them:
 * scale = (max − min) / qmax; when 0 lies in the range, `min` is nudged to −round(−min/scale)·scale so
 * that 0 is exactly representable (pruned weights and padding decode to exactly 0). A constant tensor
 * gets scale 1 and stores zeros (the converter does the same).
 *
 * ```ts
 * affineParams(-1, 3, 'uint8'); // { scale: 0.0156…, min: -0.9882… } — q = 63 decodes to 0
 * ```
 */
export function affineParams(min: number, max: number, dtype: 'uint8' | 'uint16'): AffineParams {
  if (!(min <= max)) throw new RangeError(`affineParams: min ${min} is not ≤ max ${max}`);
  if (min === max) return { scale: 1, min };
  const scale = (max - min) / QUANT_MAX[dtype];
  if (min <= 0 && 0 <= max) {
    const zeroPoint = Math.round(-min / scale);
    // `0 - x` rather than `-x`: a zero point of 0 gives min 0, not -0.
    return { scale, min: 0 - zeroPoint * scale };
  }
  return { scale, min };
}

/** Encoded bytes of one tensor and the parameters a manifest entry records for them. */
export interface AffineEncoding {
  readonly bytes: Uint8Array;
  readonly params: AffineParams;
}

/**
 * Quantizes `values` to `dtype` (uint8 or uint16) with one affine mapping per tensor: values are
 * clipped to the nudged range and rounded to the nearest step. The bytes are little-endian, as the
 * stock loader reads them (`new Uint16Array(buffer)` on every platform tfjs runs on).
 *
 * ```ts
 * const { bytes, params } = affineQuantize(new Float32Array([-1, 0, 0.5, 3]), 'uint8');
 * ```
 */
export function affineQuantize(values: Float32Array | Int32Array, dtype: 'uint8' | 'uint16'): AffineEncoding {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (values.length === 0) return { bytes: new Uint8Array(0), params: { scale: 1, min: 0 } };
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('affineQuantize: values are not all finite');
  const params = affineParams(lo, hi, dtype);
  const qmax = QUANT_MAX[dtype];
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  if (lo !== hi) {
    for (let i = 0; i < values.length; i++) {
      const code = Math.round((values[i]! - params.min) / params.scale);
      q[i] = code < 0 ? 0 : code > qmax ? qmax : code;
    }
  }
  return { bytes: new Uint8Array(q.buffer, q.byteOffset, q.byteLength), params };
}

/** The value that code `q` decodes to, exactly as the stock loader computes it (then stored as float32). */
export function affineDecode(q: number, params: AffineParams): number {
  return Math.fround(q * params.scale + params.min);
}
