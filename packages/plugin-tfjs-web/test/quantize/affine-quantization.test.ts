import * as tf from '@tensorflow/tfjs';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { affineParams, affineQuantize, float16Bytes, quantizeWeights, SkipMatcher } from '../../src/index.js';

/** Decodes `specs`/`data` with tfjs's own decoder, the one both stock loaders use. */
function stockDecode(specs: readonly tf.io.WeightsManifestEntry[], data: Uint8Array): Record<string, Float32Array | Int32Array> {
  const tensors = tf.io.decodeWeights(data.slice().buffer, [...specs]);
  const out: Record<string, Float32Array | Int32Array> = {};
  for (const [name, t] of Object.entries(tensors)) {
    out[name] = t.dataSync() as Float32Array | Int32Array;
    t.dispose();
  }
  return out;
}

function bytesOf(values: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

beforeAll(useWasm);

describe('affine parameters (tfjs-converter quantization.py)', () => {
  it('nudges min so that 0 is a code when the range holds 0', () => {
    for (const [lo, hi] of [[-1, 3], [-0.0371, 0.913], [-5, 0], [0, 2], [-1e-3, 7e-4]] as const) {
      for (const dtype of ['uint8', 'uint16'] as const) {
        const { scale, min } = affineParams(lo, hi, dtype);
        const zeroPoint = -min / scale;
        expect(Math.abs(zeroPoint - Math.round(zeroPoint))).toBeLessThan(1e-9);
        expect(Math.round(zeroPoint) * scale + min).toBe(0);
        expect(scale).toBeCloseTo((hi - lo) / (dtype === 'uint8' ? 255 : 65535), 12);
      }
    }
  });

  it('leaves min alone for a range without 0, and gives a constant tensor scale 1', () => {
    expect(affineParams(0.5, 1.5, 'uint8')).toEqual({ scale: 1 / 255, min: 0.5 });
    expect(affineParams(2, 2, 'uint8')).toEqual({ scale: 1, min: 2 });
    expect(() => affineParams(1, 0, 'uint8')).toThrow(/min 1 is not ≤ max 0/);
  });

  it('quantizes within half a step, and clips nothing a step beyond the range', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 1.7) * 0.8 + 0.1);
    for (const dtype of ['uint8', 'uint16'] as const) {
      const { bytes, params } = affineQuantize(values, dtype);
      expect(bytes.byteLength).toBe(values.length * (dtype === 'uint8' ? 1 : 2));
      const spec = { name: 'w', shape: [1000], dtype: 'float32' as const, quantization: { dtype, ...params } };
      const decoded = stockDecode([spec], bytes)['w']!;
      let worst = 0;
      for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(decoded[i]! - values[i]!));
      // Half a step, plus the float32 rounding of the decoded value.
      expect(worst).toBeLessThanOrEqual(params.scale / 2 + 1e-7);
      expect(worst).toBeGreaterThan(params.scale / 10);
    }
  });
});

describe('quantizeWeights', () => {
  it('keeps exact zeros exact through the stock decoder (uint8, uint16, float16)', async () => {
    await withoutLeaks(() => {
      // A pruned kernel: a third of it exactly 0, the rest spread asymmetrically around it.
      const values = Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0 : Math.cos(i) * 0.37 + 0.05));
      for (const dtype of ['uint8', 'uint16', 'float16'] as const) {
        const q = quantizeWeights({ specs: [{ name: 'conv/kernel', shape: [300], dtype: 'float32' }], data: bytesOf(values) }, { dtype });
        const decoded = stockDecode(q.specs, q.data)['conv/kernel']!;
        for (let i = 0; i < values.length; i += 3) expect(decoded[i], `${dtype} element ${i}`).toBe(0);
      }
    });
  });

  it('without the nudge 0 would not decode to 0 (the check above can fail)', () => {
    const values = Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0 : Math.cos(i) * 0.37 + 0.05));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const scale = (hi - lo) / 255;
    const code = Math.round((0 - lo) / scale);
    expect(Math.abs(Math.fround(code * scale + lo))).toBeGreaterThan(1e-6);
  });

  it('writes the manifest entries stock loaders read, with sizes × {1, 2, 2} bytes, packed at odd offsets', () => {
    const a = Float32Array.from([0.1, -0.2, 0.3]);
    const b = Float32Array.from({ length: 5 }, (_, i) => i - 2);
    const specs: tf.io.WeightsManifestEntry[] = [{ name: 'a', shape: [3], dtype: 'float32' }, { name: 'b', shape: [5], dtype: 'float32' }];
    const data = new Uint8Array([...bytesOf(a), ...bytesOf(b)]);
    for (const [dtype, bytes] of [['uint8', 1], ['uint16', 2], ['float16', 2]] as const) {
      const q = quantizeWeights({ specs, data }, { dtype });
      expect(q.data.byteLength).toBe(8 * bytes);
      expect(q.specs[0]).toMatchObject({ name: 'a', shape: [3], dtype: 'float32', quantization: { dtype } });
      if (dtype !== 'float16') expect(Object.keys(q.specs[1]!.quantization!).sort()).toEqual(['dtype', 'min', 'scale']);
      const decoded = stockDecode(q.specs, q.data);
      // uint8's step is 4/255: the nudged grid is off the integers by up to half a step, but 0 is exact.
      const tolerance = dtype === 'uint8' ? 2 / 255 + 1e-6 : dtype === 'uint16' ? 2 / 65535 + 1e-6 : 0;
      decoded['b']!.forEach((v, i) => expect(Math.abs(v - (i - 2))).toBeLessThanOrEqual(tolerance));
      expect(decoded['b']![2]).toBe(0);
      expect(q.tensors.map((t) => t.bytesAfter)).toEqual([3 * bytes, 5 * bytes]);
    }
  });

  it('float16 bytes are IEEE half precision (round to nearest even)', () => {
    const bits = new Uint16Array(float16Bytes(Float32Array.from([1, -2, 65504, 1 + 2 ** -11, 1 + 3 * 2 ** -11])).slice().buffer);
    expect(Array.from(bits)).toEqual([0x3c00, 0xc000, 0x7bff, 0x3c00, 0x3c02]);
  });

  it('skips int32 weights, weights under minElements and pattern matches, byte for byte, with reasons', () => {
    const specs: tf.io.WeightsManifestEntry[] = [
      { name: 'shape_const', shape: [4], dtype: 'int32' },
      { name: 'block1/conv/kernel', shape: [64], dtype: 'float32' },
      { name: 'block1/conv/bias', shape: [64], dtype: 'float32' },
      { name: 'block1/bn/moving_variance', shape: [64], dtype: 'float32' },
      { name: 'head/tiny', shape: [3], dtype: 'float32' },
    ];
    const parts = [bytesOf(Int32Array.from([1, 32, 32, 3])), ...[64, 64, 64, 3].map((n, k) => bytesOf(Float32Array.from({ length: n }, (_, i) => Math.sin(i + k))))];
    const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    parts.reduce((at, p) => (data.set(p, at), at + p.byteLength), 0);
    const q = quantizeWeights({ specs, data }, { dtype: 'uint8', skip: ['*bias', '**/moving_variance'], minElements: 10 });
    expect(q.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['shape_const', 'dtype'],
      ['block1/conv/bias', 'pattern'],
      ['block1/bn/moving_variance', 'pattern'],
      ['head/tiny', 'small'],
    ]);
    expect(q.skipped[1]!.detail).toContain('"*bias"');
    expect(q.specs.filter((s) => s.quantization !== undefined).map((s) => s.name)).toEqual(['block1/conv/kernel']);
    expect(q.data.byteLength).toBe(16 + 64 + 256 + 256 + 12);
    expect(q.data.subarray(0, 16)).toEqual(parts[0]);
    expect(q.data.subarray(16 + 64, 16 + 64 + 256)).toEqual(parts[2]);
  });

  it('matches patterns on whole names and on the last part of a name', () => {
    const m = new SkipMatcher({ skip: ['conv1/*', 'gamma'] });
    expect(m.reason('conv1/kernel', 'float32', 100, 'uint8')?.reason).toBe('pattern');
    expect(m.reason('conv10/kernel', 'float32', 100, 'uint8')).toBeUndefined();
    expect(m.reason('stage2/bn/gamma', 'float32', 100, 'uint8')?.reason).toBe('pattern');
    expect(() => new SkipMatcher({ skip: [' '] })).toThrow(/empty/);
  });

  it('decodes already-quantized weights as the loader does, then quantizes them again', () => {
    const values = Float32Array.from({ length: 50 }, (_, i) => i / 10 - 2);
    const once = quantizeWeights({ specs: [{ name: 'w', shape: [50], dtype: 'float32' }], data: bytesOf(values) }, { dtype: 'uint8' });
    const twice = quantizeWeights({ specs: once.specs, data: once.data }, { dtype: 'uint8' });
    expect(twice.requantized).toEqual(['w']);
    const [a, b] = [stockDecode(once.specs, once.data)['w']!, stockDecode(twice.specs, twice.data)['w']!];
    for (let i = 0; i < 50; i++) expect(b[i]).toBeCloseTo(a[i]!, 6);
  });

  it('names the weight when the data is shorter than the manifest says', () => {
    expect(() => quantizeWeights({ specs: [{ name: 'dense/kernel', shape: [10, 10], dtype: 'float32' }], data: new Uint8Array(40) }, { dtype: 'uint8' }))
      .toThrow(/weight "dense\/kernel".*needs bytes past the end/);
  });
});
