import type * as tf from '@tensorflow/tfjs';
import { affineQuantize } from './affine-quantization.js';
import { float16Bytes, float16Values } from './float16-encoding.js';
import { QUANTIZED_BYTES_PER_ELEMENT, type QuantizationDtype } from './quantization-dtype.js';
import { SkipMatcher, type SkippedTensor, type SkipRules } from './skip-rules.js';
import { decodeEntryValues, elementCount, entryByteLength } from './weight-entry-bytes.js';

/** One group's weights in memory: the manifest entries and their bytes, back to back. */
export interface WeightData {
  readonly specs: readonly tf.io.WeightsManifestEntry[];
  readonly data: Uint8Array;
}

/** What to quantize to and what to leave alone. */
export interface QuantizeWeightsOptions extends SkipRules {
  readonly dtype: QuantizationDtype;
}

/** One weight's fate. */
export interface TensorQuantization {
  readonly name: string;
  readonly shape: readonly number[];
  /** What it was stored as: `float32`, `int32`, or the quantization dtype it came with. */
  readonly storedBefore: string;
  /** What it is stored as now. */
  readonly storedAfter: string;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  /** Largest |decoded − original| over its elements (0 for skipped weights). */
  readonly maxAbsError: number;
}

/** The quantized weights, and per weight what happened. */
export interface QuantizedWeights extends WeightData {
  readonly tensors: readonly TensorQuantization[];
  readonly skipped: readonly SkippedTensor[];
  /** Weights that came already quantized: decoded as the stock loader decodes them, then quantized again. */
  readonly requantized: readonly string[];
}

/** Thrown for weight data that does not match its manifest: the message names the weight. */
export class WeightDataError extends Error {
  override readonly name = 'WeightDataError';
}

function largestError(original: Float32Array, encoded: Uint8Array, dtype: QuantizationDtype, params?: { scale: number; min: number }): number {
  const decoded = dtype === 'float16'
    ? float16Values(encoded)
    : Float32Array.from(dtype === 'uint8' ? encoded : new Uint16Array(new Uint8Array(encoded).buffer), (c) => c * params!.scale + params!.min);
  let worst = 0;
  for (let i = 0; i < original.length; i++) worst = Math.max(worst, Math.abs(decoded[i]! - original[i]!));
  return worst;
}

/**
 * Quantizes the float32 weights of one weight group to `dtype`, per tensor (affine uint8/uint16 with
 * the converter's zero nudging, or float16), and writes the manifest entries stock tfjs loaders read:
 * `{ name, shape, dtype: 'float32', quantization: { dtype, scale, min } }`. int32/bool/string weights,
 * weights matched by `skip` and weights under `minElements` keep their bytes and entries. Weights that
 * were already quantized are decoded as the loader would and quantized again. Pure: no tensors.
 *
 * ```ts
 * const q = quantizeWeights({ specs, data }, { dtype: 'uint8', skip: ['*bias'] });
 * q.specs[0].quantization; // { dtype: 'uint8', scale: 0.0039…, min: -0.5 }
 * ```
 */
export function quantizeWeights(weights: WeightData, options: QuantizeWeightsOptions): QuantizedWeights {
  const matcher = new SkipMatcher(options);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  const tensors: TensorQuantization[] = [];
  const skipped: SkippedTensor[] = [];
  const requantized: string[] = [];
  let offset = 0;
  for (const spec of weights.specs) {
    const size = entryByteLength(spec, weights.data, offset);
    if (size === undefined) {
      throw new WeightDataError(`weight "${spec.name}" (shape [${spec.shape.join(', ')}], ${spec.quantization?.dtype ?? spec.dtype}) needs bytes past the end of the weight data (${weights.data.byteLength} bytes, it starts at ${offset})`);
    }
    const bytes = weights.data.subarray(offset, offset + size);
    offset += size;
    const elements = elementCount(spec);
    const storedBefore = spec.quantization?.dtype ?? spec.dtype;
    const keep = (): void => {
      specs.push(spec);
      parts.push(bytes);
      tensors.push({ name: spec.name, shape: spec.shape, storedBefore, storedAfter: storedBefore, bytesBefore: size, bytesAfter: size, maxAbsError: 0 });
    };
    const why = matcher.reason(spec.name, spec.dtype, elements, options.dtype);
    if (why !== undefined) {
      skipped.push(why);
      keep();
      continue;
    }
    const values = decodeEntryValues(spec, bytes) as Float32Array;
    if (!values.every(Number.isFinite)) {
      skipped.push({ name: spec.name, reason: 'non-finite', detail: 'holds NaN or ±Infinity, which no affine range covers' });
      keep();
      continue;
    }
    if (spec.quantization !== undefined) requantized.push(spec.name);
    const { quantization: _dropped, ...plain } = spec;
    let encoded: Uint8Array;
    let entry: tf.io.WeightsManifestEntry;
    let maxAbsError: number;
    if (options.dtype === 'float16') {
      encoded = float16Bytes(values);
      entry = { ...plain, quantization: { dtype: 'float16' } };
      maxAbsError = largestError(values, encoded, 'float16');
    } else {
      const { bytes: codes, params } = affineQuantize(values, options.dtype);
      encoded = codes;
      entry = { ...plain, quantization: { dtype: options.dtype, scale: params.scale, min: params.min } };
      maxAbsError = largestError(values, encoded, options.dtype, params);
    }
    specs.push(entry);
    parts.push(encoded);
    tensors.push({ name: spec.name, shape: spec.shape, storedBefore, storedAfter: options.dtype, bytesBefore: size, bytesAfter: elements * QUANTIZED_BYTES_PER_ELEMENT[options.dtype], maxAbsError });
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return { specs, data, tensors, skipped, requantized };
}
