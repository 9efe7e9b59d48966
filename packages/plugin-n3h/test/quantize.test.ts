import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { lutChannelSet, parseSplitScheme, splitScheme } from '../src/quantize/channel-split.js';
import { N3hFakeQuant } from '../src/quantize/fake-quant-layer.js';
import { fakeQuantize, quantizeKernel } from '../src/quantize/fake-quantize.js';
import { klRange } from '../src/quantize/kl-range.js';
import { N3hQuantizer } from '../src/quantize/n3h-quantizer.js';
import { accuracyOf, qatFineTune } from '../src/quantize/qat-fine-tune.js';
import { modelGemms } from '../src/workload/model-gemms.js';

/** The value of a scalar computed in a tidy (its intermediates freed). */
async function scalar(fn: () => tf.Tensor): Promise<number> {
  const t = tf.tidy(fn);
  const value = (await t.data())[0] as number;
  t.dispose();
  return value;
}

beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

describe('fake quantization', () => {
  it('changes values by less than one quantization step at 8 bits, and snaps to the grid', async () => {
    await withoutLeaks(async () => {
      const x = tf.randomUniform([1000], -3, 3, 'float32', 1);
      const q = fakeQuantize(x, 8, 3, true);
      const step = 3 / 127;
      const maxDiff = await scalar(() => tf.max(tf.abs(tf.sub(x, q))));
      expect(maxDiff).toBeLessThanOrEqual(step / 2 + 1e-6);
      expect(maxDiff).toBeGreaterThan(0);
      expect(await scalar(() => tf.abs(tf.sub(tf.div(q, step), tf.round(tf.div(q, step)))).max())).toBeLessThan(1e-3);
      tf.dispose([x, q]);
    });
  });

  it('passes gradients straight through inside the range and zeroes them outside', async () => {
    await withoutLeaks(async () => {
      const x = tf.tensor1d([-2, -0.3, 0.1, 0.7, 1.5]);
      const grad = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fakeQuantize(t, 2, 1, true), tf.tensor1d([1, 2, 3, 4, 5]))))(x));
      expect(Array.from(await grad.data())).toEqual([0, 2, 3, 4, 0]);
      tf.dispose([x, grad]);
    });
  });

  it('quantizes each output channel at its own bits', async () => {
    await withoutLeaks(async () => {
      const kernel = tf.tensor2d([[0.1, 0.1], [0.35, 0.35], [1, 1]]);
      const q = quantizeKernel(kernel, [2, 8]);
      const values = await q.array() as number[][];
      expect(values.map((row) => row[0])).toEqual([0, 0, 1]); // 2 bits: levels {-1, 0, 1} × max
      expect(Math.abs(values[1]![1]! - 0.35)).toBeLessThan(1 / 127 / 2 + 1e-7);
      tf.dispose([kernel, q]);
    });
  });

  it('KL calibration clips a long tail below the maximum', () => {
    const rng = SeededRng.from(3);
    const values = new Float32Array(20000).map(() => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
    values[0] = 40;
    const range = klRange(values, 3, false);
    expect(range).toBeLessThan(10);
    expect(range).toBeGreaterThan(1);
  });

  it('KL calibration is not pulled to zero by the zeros of a post-ReLU tensor', () => {
    const rng = SeededRng.from(4);
    const dense = new Float32Array(50000).map(() => Math.max(0, Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())));
    const sparse = dense.map((v, i) => (i % 5 < 4 ? 0 : v));
    const denseRange = klRange(dense, 4, false);
    expect(denseRange).toBeGreaterThan(1.5);
    // 80 % zeros: the same shape of non-zero values, so about the same range (not a few histogram bins).
    expect(klRange(sparse, 4, false)).toBeGreaterThan(0.7 * denseRange);
  });

  it('assigns the lowest-error channels to the LUT core, and round-trips the scheme', async () => {
    await withoutLeaks(() => {
      // Channel 1 is already on a 2-bit grid (zero error), channel 0 is not.
      const kernel = tf.tensor2d([[0.37, 1], [1, -1], [0.05, 0]]);
      expect(lutChannelSet(kernel, 1, 2)).toEqual([1]);
      kernel.dispose();
    });
    expect(parseSplitScheme(splitScheme(0.63, [0, 1, 2, 5, 7, 8]))).toEqual({ ratio: 0.63, lutChannels: [0, 1, 2, 5, 7, 8] });
  });
});

describe('N3hQuantizer and QAT', () => {
  it('inserts fake-quant points, quantizes, fine-tunes with STE and restores, without leaks', async () => {
    await withoutLeaks(async () => {
      const model = buildResNet({ depth: 8, inputShape: [8, 8, 1], numClasses: 3, width: 4, seed: 1 });
      const x = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 2);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3).toFloat());
      const gemms = modelGemms(model);
      const q = await N3hQuantizer.prepare(model, gemms, x);
      try {
        expect(q.model.layers.filter((l) => l instanceof N3hFakeQuant).length).toBeGreaterThan(3);
        const floatOut = model.predict(x) as tf.Tensor;
        const targets = gemms.map((g) => ({ layer: g.name, weightBits: g.edge ? 8 : 2, activationBits: g.edge ? 8 : 2, ratio: 0.5, lutChannels: Math.round(g.n / 2) }));
        const result = q.quantize(targets);
        expect(result[1]!.channelBits.filter((b) => b === 2).length).toBe(2);
        const quantOut = q.model.predict(x) as tf.Tensor;
        const diff = await scalar(() => tf.max(tf.abs(tf.sub(floatOut, quantOut))));
        expect(diff).toBeGreaterThan(1e-4);
        const kernelsBefore = result.map((r) => ({ layer: r.layer, channelBits: r.channelBits }));
        const fit = await qatFineTune(q.model, kernelsBefore, { x, y }, { epochs: 2, batchSize: 8, learningRate: 1e-3 }, SeededRng.from(0));
        expect(fit.steps).toBe(4);
        // One mean loss per epoch (two steps each), the last step's loss among the second epoch's.
        expect(fit.epochLosses).toHaveLength(2);
        expect(fit.epochLosses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
        // Kernels stay on their grids after the STE updates: LUT channels of layer 1 take at most 3 values each.
        const kernel = q.model.getLayer(result[1]!.layer).getWeights()[0]!;
        const columnTensor = tf.tidy(() => tf.gather(kernel.reshape([-1, kernel.shape[3]!]), result[1]!.lutChannels[0]!, 1));
        const column = await columnTensor.data();
        columnTensor.dispose();
        expect(new Set(Array.from(column).map((v) => v.toFixed(6))).size).toBeLessThanOrEqual(3);
        expect(await accuracyOf(q.model, { x, y })).toBeGreaterThanOrEqual(0);
        q.reset();
        const back = q.model.predict(x) as tf.Tensor;
        expect(await scalar(() => tf.max(tf.abs(tf.sub(floatOut, back))))).toBeLessThan(1e-5);
        tf.dispose([floatOut, quantOut, back]);
      } finally {
        q.dispose();
        model.dispose();
        tf.dispose([x, y]);
      }
    });
  });
});
