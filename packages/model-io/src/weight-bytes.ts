import type * as tf from '@tensorflow/tfjs';
import { inputError } from './model-io-error.js';

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Bytes that one weight occupies in its shard, starting at `offset` of `bytes`.
 * Strings are stored as (uint32 little-endian length, UTF-8 bytes) per element, so they are read
 * from the data; `undefined` means the data ends inside that weight.
 *
 * ```ts
 * weightByteLength({ name: 'dense/kernel', shape: [4, 3], dtype: 'float32' }, bytes, 0); // 48
 * ```
 */
function weightByteLength(entry: tf.io.WeightsManifestEntry, bytes: Uint8Array, offset: number): number | undefined {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.dtype === 'string') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (at + 4 > bytes.byteLength) return undefined;
      at += 4 + view.getUint32(at, true);
    }
    return at - offset;
  }
  const dtype = entry.quantization?.dtype ?? entry.dtype;
  return count * (BYTES_PER_ELEMENT[dtype] ?? 4);
}

/**
 * Checks that the concatenated shards of one manifest group hold every weight the group lists, and
 * returns the bytes those weights use (extra trailing bytes are dropped so later groups stay aligned).
 *
 * ```ts
 * const used = checkGroupBytes(json.weightsManifest[0]!, shardBytes, 'model/model.json');
 * ```
 */
export function checkGroupBytes(group: tf.io.WeightsManifestConfig[number], bytes: Uint8Array, source: string): Uint8Array {
  let offset = 0;
  for (const entry of group.weights) {
    const size = weightByteLength(entry, bytes, offset);
    if (size === undefined || offset + size > bytes.byteLength) {
      const needed = size === undefined ? `more than ${bytes.byteLength - offset} bytes` : `bytes ${offset}..${offset + size}`;
      throw inputError(
        'WEIGHTS_TRUNCATED',
        `${source}: weight "${entry.name}" needs ${needed} of shards ${group.paths.join(', ')}, which hold only ${bytes.byteLength} bytes`,
        'The weight files are cut short: copy or download them again, or re-save the model.',
      );
    }
    offset += size;
  }
  return bytes.subarray(0, offset);
}
