import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYER_OPS, measureSignature, sampleStats, timeOp, type LayerSignature } from '../../src/index.js';
import { errorOf, leakedBy, useWasm } from '../helpers/wasm-backend.js';

const base: LayerSignature = {
  op: 'conv2d', batch: 2, cin: 4, cout: 6, height: 5, width: 7, kernel: [3, 3], stride: [2, 1], dilation: [1, 1],
  padding: 'valid', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};

beforeAll(useWasm);

describe('measureSignature', () => {
  it('times every op once in isolation, without leaking tensors', async () => {
    expect(await leakedBy(async () => {
      for (const op of LAYER_OPS) {
        const signature: LayerSignature = op === 'depthwise' ? { ...base, op, cout: 8, groups: 4, multiplier: 2 } : { ...base, op, ...(op === 'separable' ? { groups: 4 } : {}) };
        const entry = await measureSignature(signature, { warmup: 1, runs: 3 });
        expect(entry.signature).toBe(signature);
        expect(entry.runs).toBe(3);
        expect(entry.clock).toBe('wall');
        expect(entry.ms).toBeGreaterThan(0);
        expect(entry.p10).toBeLessThanOrEqual(entry.ms);
        expect(entry.p90).toBeGreaterThanOrEqual(entry.ms);
        // wasm reports the synchronous kernel time through tf.time.
        expect(entry.kernelMs).toBeGreaterThanOrEqual(0);
      }
    })).toBe(0);
  });

  it('reads the kernel clock when asked, and keeps the wall time too', async () => {
    const entry = await measureSignature(base, { warmup: 1, runs: 3, clock: 'kernel' });
    expect(entry.clock).toBe('kernel');
    expect(entry.ms).toBe(entry.kernelMs);
    expect(entry.wallMs).toBeGreaterThan(0);
  });

  it('refuses a signature for another backend and bad run counts', async () => {
    const other = await errorOf(() => measureSignature({ ...base, backend: 'webgpu' }));
    expect(other.code).toBe('LATENCY_BACKEND_MISMATCH');
    expect(other.message).toContain('active tfjs backend is "wasm"');
    expect((await errorOf(() => measureSignature(base, { runs: 0 }))).code).toBe('BAD_LATENCY_OPTION');
  });
});

describe('timing helpers', () => {
  it('sampleStats interpolates quantiles like numpy', () => {
    expect(sampleStats([3, 1, 2])).toEqual({ median: 2, p10: 1.2, p90: 2.8 });
    expect(sampleStats([5])).toEqual({ median: 5, p10: 5, p90: 5 });
  });

  it('timeOp runs the op warmup + 2 × runs times and disposes every output', async () => {
    const x = tf.ones([2, 2]);
    let calls = 0;
    const leaked = await leakedBy(async () => {
      await timeOp(() => {
        calls++;
        return x.add(1);
      }, { warmup: 2, runs: 4 });
    });
    x.dispose();
    expect(calls).toBe(2 + 4 + 4);
    expect(leaked).toBe(0);
  });
});
