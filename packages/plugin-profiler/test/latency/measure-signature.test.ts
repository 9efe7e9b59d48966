import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureSignature, PASSTHROUGH_OPS, sampleStats, timeOp, WEIGHTED_OPS, type LayerSignature } from '../../src/index.js';
import { errorOf, leakedBy, useWasm } from '@whittle/testing';

const base: LayerSignature = {
  op: 'conv2d', batch: 2, cin: 4, cout: 6, height: 5, width: 7, kernel: [3, 3], stride: [2, 1], dilation: [1, 1],
  padding: 'valid', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};

beforeAll(useWasm);

describe('measureSignature', () => {
  it('times every op in isolation, in loops of K ops and one read-back, without leaking tensors', async () => {
    const passthrough = { ...base, cout: base.cin, kernel: [1, 1], stride: [1, 1], groups: base.cin } as const;
    const signatures: LayerSignature[] = [
      ...WEIGHTED_OPS.map((op): LayerSignature => (op === 'depthwise' ? { ...base, op, cout: 8, groups: 4, multiplier: 2 } : { ...base, op, ...(op === 'separable' ? { groups: 4 } : {}) })),
      ...PASSTHROUGH_OPS.map((op): LayerSignature => (op === 'activation' ? { ...passthrough, op, activation: 'relu6' }
        : op === 'merge' ? { ...passthrough, op, merge: 'add', inputs: 3 }
          : op === 'zero-pad' ? { ...passthrough, op, pads: [1, 1, 0, 2] }
            : op === 'max-pool' || op === 'avg-pool' ? { ...passthrough, op, kernel: [2, 2], stride: [2, 2] }
              : { ...passthrough, op })),
    ];
    expect(await leakedBy(async () => {
      for (const signature of signatures) {
        const entry = await measureSignature(signature, { warmup: 1, runs: 3, minLoopMs: 0.2 });
        expect(entry.signature).toBe(signature);
        expect(entry.runs).toBe(3);
        expect(entry.clock).toBe('wall');
        expect(entry.ms, signature.op).toBeGreaterThan(0);
        expect(entry.p10).toBeLessThanOrEqual(entry.ms);
        expect(entry.p90).toBeGreaterThanOrEqual(entry.ms);
        expect(Number.isInteger(entry.repeats) && entry.repeats! >= 1 && entry.repeats! <= 1024, signature.op).toBe(true);
        // The wall clock table skips the kernel clock's loops.
        expect(entry.kernelMs).toBeUndefined();
      }
    })).toBe(0);
  });

  it('reads the kernel clock when asked, and keeps the wall time too', async () => {
    const entry = await measureSignature(base, { warmup: 1, runs: 3, clock: 'kernel', minLoopMs: 0.2 });
    expect(entry.clock).toBe('kernel');
    expect(entry.ms).toBe(entry.kernelMs);
    expect(entry.wallMs).toBeGreaterThan(0);
  });

  it('refuses a signature for another backend and bad run counts', async () => {
    const other = await errorOf(() => measureSignature({ ...base, backend: 'webgpu' }));
    expect(other.code).toBe('LATENCY_BACKEND_MISMATCH');
    expect(other.message).toContain('active tfjs backend is "wasm"');
    expect((await errorOf(() => measureSignature(base, { runs: 0 }))).code).toBe('BAD_LATENCY_OPTION');
    expect((await errorOf(() => measureSignature(base, { minLoopMs: -1 }))).code).toBe('BAD_LATENCY_OPTION');
  });
});

describe('timing helpers', () => {
  it('sampleStats interpolates quantiles like numpy', () => {
    expect(sampleStats([3, 1, 2])).toEqual({ median: 2, p10: 1.2, p90: 2.8 });
    expect(sampleStats([5])).toEqual({ median: 5, p10: 5, p90: 5 });
  });

  it('timeOp runs the op warmup + calibration + 2 × runs × K times and disposes every output', async () => {
    const x = tf.ones([2, 2]);
    let calls = 0;
    const op = (): tf.Tensor => {
      calls++;
      return x.add(1);
    };
    // minLoopMs 0: the first calibration loop (K = 1) is long enough.
    expect(await leakedBy(async () => {
      const times = await timeOp(op, { warmup: 2, runs: 4, minLoopMs: 0 });
      expect(times.repeats).toBe(1);
      expect(times.kernel).toBeDefined();
    })).toBe(0);
    expect(calls).toBe(2 + 1 + 4 + 4);
    // A loop of 1 ms needs many of these ops; K stops at maxRepeats.
    calls = 0;
    expect(await leakedBy(async () => {
      const times = await timeOp(op, { warmup: 0, runs: 2, minLoopMs: 1000, maxRepeats: 16, kernel: false });
      expect(times.repeats).toBe(16);
      expect(times.kernel).toBeUndefined();
      expect(times.wall.median).toBeGreaterThan(0);
    })).toBe(0);
    expect(calls).toBeGreaterThanOrEqual(2 * 16 + 16);
    x.dispose();
  });
});
