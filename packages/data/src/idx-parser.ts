import { gunzipSync } from 'node:zlib';
import { inputError } from '@whittle/kernel';

/** An unsigned-byte IDX array: `dims` (e.g. [n, 28, 28] for images, [n] for labels) and the values, row-major. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const IDX_TYPE_NAMES: Readonly<Record<number, string>> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

function bad(source: string, what: string): Error {
  return inputError('DATA_FILE_INVALID', `${source}: ${what}`, 'Use the original IDX files (MNIST family), gzipped or not; download them again if they are cut short.');
}

/**
 * Gunzips when the bytes start with the gzip magic 1f 8b; returns them unchanged otherwise.
 *
 * ```ts
 * const raw = gunzipIfGzipped(await readFile('train-images-idx3-ubyte.gz'), 'train-images-idx3-ubyte.gz');
 * ```
 */
export function gunzipIfGzipped(bytes: Uint8Array, source: string): Uint8Array {
  if (bytes.byteLength < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw inputError('DATA_FILE_INVALID', `${source}: broken gzip data (${(error as Error).message})`, 'The file is cut short or corrupt: download it again.', error);
  }
}

/**
 * Parses an IDX file (the MNIST format): magic 00 00 08 <ndims>, then `ndims` big-endian uint32
 * sizes, then the unsigned bytes. Gzipped input (magic 1f 8b) is gunzipped first. A wrong magic, a
 * type other than uint8, or a data size that does not match the header is an input error naming `source`.
 *
 * ```ts
 * const labels = parseIdx(await readFile('train-labels-idx1-ubyte.gz'), 'train-labels-idx1-ubyte.gz');
 * labels.dims; // [60000]
 * ```
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  const raw = gunzipIfGzipped(bytes, source);
  if (raw.byteLength < 4) throw bad(source, `only ${raw.byteLength} bytes, too short for an IDX header`);
  if (raw[0] !== 0 || raw[1] !== 0) {
    const magic = Array.from(raw.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw bad(source, `not an IDX file (magic ${magic}, expected 00 00 08 01 for labels or 00 00 08 03 for images)`);
  }
  const type = raw[2] ?? 0;
  if (type !== 0x08) throw bad(source, `IDX values of type ${IDX_TYPE_NAMES[type] ?? `0x${type.toString(16)}`} are not supported, only uint8 (0x08)`);
  const ndims = raw[3] ?? 0;
  if (ndims === 0) throw bad(source, 'IDX header declares 0 dimensions');
  const headerBytes = 4 + 4 * ndims;
  if (raw.byteLength < headerBytes) throw bad(source, `truncated IDX header: ${ndims} dimensions need ${headerBytes} bytes, file has ${raw.byteLength}`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = raw.byteLength - headerBytes;
  if (found < expected) throw bad(source, `truncated: header [${dims.join(', ')}] needs ${expected} bytes of data, found ${found}`);
  if (found > expected) throw bad(source, `${found - expected} unexpected bytes after the ${expected} bytes that header [${dims.join(', ')}] declares`);
  return { dims, data: raw.subarray(headerBytes) };
}
