import type * as tf from '@tensorflow/tfjs';
import { float16Values } from './float16-encoding.js';

const RAW_BYTES_PER_ELEMENT: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Elements of a weight: the product of its shape (1 for a scalar). */
export function elementCount(entry: Pick<tf.io.WeightsManifestEntry, 'shape'>): number {
  return entry.shape.reduce((a, b) => a * b, 1);
}

/**
 * Bytes one manifest entry occupies in its group's data starting at `offset`: size × the bytes of its
 * stored type (the quantized one when it has `quantization`); strings are read from the data
 * (uint32 length + UTF-8 bytes per element). `undefined` when the data ends inside the entry.
 */
export function entryByteLength(entry: tf.io.WeightsManifestEntry, data: Uint8Array, offset: number): number | undefined {
  const count = elementCount(entry);
  if (entry.dtype === 'string') {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (at + 4 > data.byteLength) return undefined;
      at += 4 + view.getUint32(at, true);
    }
    return at > data.byteLength ? undefined : at - offset;
  }
  const size = count * (RAW_BYTES_PER_ELEMENT[entry.quantization?.dtype ?? entry.dtype] ?? 4);
  return offset + size > data.byteLength ? undefined : size;
}

/** A copy of `bytes` in a fresh, aligned ArrayBuffer (shard offsets need not be multiples of 4). */
function aligned(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/**
 * The values of a float32 or int32 entry as the stock loader decodes them (`tf.io.decodeWeights`):
 * raw little-endian values, or `q × scale + min` (int32: rounded) for uint8/uint16, or half floats.
 * `undefined` for the types Whittle passes through untouched (bool, string, complex64).
 */
export function decodeEntryValues(entry: tf.io.WeightsManifestEntry, bytes: Uint8Array): Float32Array | Int32Array | undefined {
  if (entry.dtype !== 'float32' && entry.dtype !== 'int32') return undefined;
  const q = entry.quantization;
  if (q === undefined) return entry.dtype === 'float32' ? new Float32Array(aligned(bytes)) : new Int32Array(aligned(bytes));
  if (q.dtype === 'float16') {
    const values = float16Values(bytes);
    return entry.dtype === 'float32' ? values : Int32Array.from(values, (v) => Math.round(v));
  }
  const codes = q.dtype === 'uint8' ? bytes : new Uint16Array(aligned(bytes));
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  if (entry.dtype === 'int32') return Int32Array.from(codes, (c) => Math.round(c * scale + min));
  return Float32Array.from(codes, (c) => c * scale + min);
}
