import { describe, expect, it } from 'vitest';
import { parseCifar10Batch, parseIdx } from '../src/index.js';
import { cifarBytes, gzip, idxBytes } from './fixtures.js';

describe('parseIdx', () => {
  it('reads labels (0x801) and images (0x803), plain or gzipped', () => {
    const labels = idxBytes([3], [7, 0, 9]);
    expect(parseIdx(labels, 'l.idx')).toEqual({ dims: [3], data: Uint8Array.from([7, 0, 9]) });
    const pixels = Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    for (const bytes of [idxBytes([2, 3, 4], pixels), gzip(idxBytes([2, 3, 4], pixels))]) {
      const images = parseIdx(bytes, 'i.idx');
      expect(images.dims).toEqual([2, 3, 4]);
      expect(Array.from(images.data)).toEqual(pixels);
    }
    // Dims are big-endian: 300 = 0x012c.
    expect(parseIdx(idxBytes([300], new Uint8Array(300)), 'big.idx').dims).toEqual([300]);
  });

  it.each([
    ['truncated data', idxBytes([2, 2, 2], [1, 2, 3, 4, 5, 6, 7]).subarray(0, 4 + 12 + 7), /truncated: header \[2, 2, 2\] needs 8 bytes of data, found 7/],
    ['a truncated header', idxBytes([2, 2, 2], new Uint8Array(8)).subarray(0, 9), /truncated IDX header/],
    ['too short for a header', Uint8Array.from([0, 0]), /too short/],
    ['a wrong magic', Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), /not an IDX file \(magic 50 4b 03 04/],
    ['an unsupported value type', Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), /float32 are not supported/],
    ['trailing garbage', Uint8Array.from([...idxBytes([2], [1, 2]), 9]), /1 unexpected bytes/],
    ['broken gzip', gzip(idxBytes([100], new Uint8Array(100))).subarray(0, 20), /broken gzip data/],
  ])('refuses %s, naming the file', (_what, bytes, pattern) => {
    expect(() => parseIdx(bytes, '/data/x-idx3-ubyte')).toThrow(pattern);
    expect(() => parseIdx(bytes, '/data/x-idx3-ubyte')).toThrow(expect.objectContaining({ code: 'DATA_FILE_INVALID', kind: 'input', message: expect.stringContaining('/data/x-idx3-ubyte') }));
  });
});

describe('parseCifar10Batch', () => {
  it('turns channel-planar records into NHWC images', () => {
    const batch = parseCifar10Batch(cifarBytes(3), 'b.bin');
    expect(batch.count).toBe(3);
    expect(Array.from(batch.labels)).toEqual([0, 1, 2]);
    // Record 2, pixel (row 1, col 3) = p 35, channel c → (2 + 10c + 35) mod 256.
    const at = (r: number, p: number, c: number): number | undefined => batch.images[(r * 1024 + p) * 3 + c];
    expect([at(2, 35, 0), at(2, 35, 1), at(2, 35, 2)]).toEqual([37, 47, 57]);
    expect(at(0, 1023, 2)).toBe((20 + 1023) % 256);
  });

  it('refuses a size that is not a multiple of 3073, and labels above 9', () => {
    expect(() => parseCifar10Batch(cifarBytes(2).subarray(0, 5000), 'cut.bin')).toThrow(/cut\.bin: 5000 bytes is not a whole number of CIFAR-10 records/);
    expect(() => parseCifar10Batch(new Uint8Array(0), 'empty.bin')).toThrow(expect.objectContaining({ code: 'DATA_FILE_INVALID' }));
    const bad = cifarBytes(2);
    bad[3073] = 42;
    expect(() => parseCifar10Batch(bad, 'c100.bin')).toThrow(/c100\.bin: record 1 has label 42/);
  });
});
