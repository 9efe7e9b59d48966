import { gzipSync } from 'node:zlib';

/** IDX bytes (uint8) with the given dims and values. */
export function idxBytes(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(Array.from(values), header.length);
  return out;
}

export const gzip = (bytes: Uint8Array): Uint8Array => gzipSync(bytes);

/**
 * Images whose every pixel holds its example's index (mod 256), so that tests can tell which
 * example landed where; label = index mod `classes`.
 */
export function indexedImages(n: number, h: number, w: number, classes: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * h * w);
  for (let i = 0; i < n; i++) images.fill(i % 256, i * h * w, (i + 1) * h * w);
  return { images, labels: Uint8Array.from({ length: n }, (_, i) => i % classes) };
}

/** A CIFAR-10 binary batch: pixel (r, p, c) = (r + 10·c + p) mod 256, label = r mod 10. */
export function cifarBytes(records: number, labelOffset = 0): Uint8Array {
  const out = new Uint8Array(records * 3073);
  for (let r = 0; r < records; r++) {
    out[r * 3073] = (r + labelOffset) % 10;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[r * 3073 + 1 + c * 1024 + p] = (r + 10 * c + p) % 256;
  }
  return out;
}
