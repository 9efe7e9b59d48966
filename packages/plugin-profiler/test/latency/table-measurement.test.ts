import * as tf from '@tensorflow/tfjs';
import { silentLogger } from '@whittle/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureTable, signatureKey, WHOLE_MODEL_WINDOWS, type LayerSignature, type TableMeasurementSettings } from '../../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

const conv: LayerSignature = {
  op: 'conv2d', batch: 1, cin: 4, cout: 4, height: 6, width: 6, kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
  padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};
const signatures: LayerSignature[] = [
  conv, { ...conv, cin: 2 }, { ...conv, cout: 2 },
  { ...conv, op: 'batch-norm', kernel: [1, 1], padding: 'valid', groups: 4 },
  { ...conv, op: 'activation', activation: 'relu', kernel: [1, 1], padding: 'valid', groups: 4 },
];
const settings: TableMeasurementSettings = { batchSize: 1, runs: 4, rounds: 2, warmup: 1, warmupMs: 20, minLoopMs: 0.1, clock: 'wall', statistic: 'median' };

function tinyModel(): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 4] });
  const y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

beforeAll(useWasm);

describe('measureTable', () => {
  it('returns one entry per signature and a time per whole model, probing every few signatures', async () => {
    const model = tinyModel();
    const other = tinyModel();
    expect(await leakedBy(async () => {
      const result = await measureTable([model, other], signatures, conv, settings, (s) => s.medianMs, silentLogger);
      expect(result.entries.map((e) => signatureKey(e.signature))).toEqual(signatures.map(signatureKey));
      for (const entry of result.entries) expect(entry.runs).toBe(2);
      expect(result.modelsMs).toHaveLength(2);
      for (const ms of result.modelsMs) expect(ms).toBeGreaterThan(0);
      // One sample first, one per chunk of ≤ 8 signatures per round, one after each window.
      expect(result.probeSamples).toBeGreaterThanOrEqual(1 + 2 + WHOLE_MODEL_WINDOWS);
    })).toBe(0);
    model.dispose();
    other.dispose();
  });

  it('counts every round as quiet without a probe', async () => {
    const model = tinyModel();
    const result = await measureTable([model], signatures.slice(0, 2), undefined, { ...settings, rounds: 1 }, (s) => s.medianMs, silentLogger);
    expect(result).toMatchObject({ busySignatures: 0, probeSamples: 0 });
    expect(result.entries).toHaveLength(2);
    model.dispose();
  });
});
