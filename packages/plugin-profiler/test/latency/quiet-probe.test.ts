import { beforeAll, describe, expect, it } from 'vitest';
import { QuietProbe, type LayerSignature } from '../../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

const conv: LayerSignature = {
  op: 'conv2d', batch: 1, cin: 8, cout: 8, height: 8, width: 8, kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
  padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};

beforeAll(useWasm);

describe('QuietProbe', () => {
  it('calls a level quiet when it is within the tolerance of the fastest sample', async () => {
    const probe = new QuietProbe(conv, { clock: 'wall', statistic: 'median', minLoopMs: 0.1, runs: 3, tolerance: 1.5 });
    expect(probe.fastestMs).toBe(Number.POSITIVE_INFINITY);
    let first = 0;
    expect(await leakedBy(async () => {
      first = await probe.sample();
      await probe.sample();
    })).toBe(0);
    expect(probe.samples).toBe(2);
    expect(probe.fastestMs).toBeLessThanOrEqual(first);
    expect(probe.isQuiet(probe.fastestMs * 1.4)).toBe(true);
    expect(probe.isQuiet(probe.fastestMs * 1.6)).toBe(false);
  });
});
