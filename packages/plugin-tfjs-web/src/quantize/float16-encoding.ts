import { Float16Array } from '@petamoriken/float16';

/**
 * IEEE half-precision bytes of `values` (round to nearest even, little-endian), as tfjs's loader
 * decodes `quantization: { dtype: 'float16' }`. Node 20 has no native Float16Array; the
 * `@petamoriken/float16` polyfill stores the same bits in a Uint16Array buffer.
 *
 * ```ts
 * float16Bytes(new Float32Array([1, -2.5])); // 4 bytes
 * ```
 */
export function float16Bytes(values: Float32Array): Uint8Array {
  const half = new Float16Array(values);
  return new Uint8Array(half.buffer, half.byteOffset, half.byteLength);
}

/** Decodes half-precision bytes (little-endian) to float32. */
export function float16Values(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes); // aligned
  return Float32Array.from(new Float16Array(copy.buffer, 0, copy.byteLength / 2));
}
