import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateAccuracy, measureLatency } from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** flatten → dense(2) with an identity kernel: the predicted class is the index of the larger input. */
function argmaxModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 2] }), tf.layers.dense({ units: 2, useBias: false })] });
  tf.tidy(() => model.layers[1]?.setWeights([tf.eye(2)]));
  return model;
}

describe('evaluateAccuracy', () => {
  it('computes top-1 accuracy over batches that do not divide the data', async () => {
    const model = argmaxModel();
    await withoutLeaks(() => {
      const x = tf.tensor4d([1, 0, 0, 1, 2, 3, 5, 4, 0, 9], [5, 1, 1, 2]); // predicted classes 0 1 1 0 1
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 0, 1], 'int32'), 2).toFloat()) as tf.Tensor2D; // 4 of 5 right
      for (const batchSize of [1, 2, 3, 256]) expect(evaluateAccuracy(model, { x, y }, batchSize)).toBeCloseTo(0.8, 10);
      tf.dispose([x, y]);
    });
    model.dispose();
  });

  it('refuses data that does not fit the model', async () => {
    const model = argmaxModel();
    await withoutLeaks(() => {
      const x = tf.zeros([2, 1, 1, 2]) as tf.Tensor4D;
      const y3 = tf.zeros([2, 3]) as tf.Tensor2D;
      expect(() => evaluateAccuracy(model, { x, y: y3 })).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_MISMATCH' }));
      const y2 = tf.zeros([2, 2]) as tf.Tensor2D;
      expect(() => evaluateAccuracy(model, { x, y: y2 }, 0)).toThrow(expect.objectContaining({ code: 'BAD_BATCH_SIZE' }));
      tf.dispose([x, y3, y2]);
    });
    model.dispose();
  });
});

describe('measureLatency', () => {
  it('reports ordered percentiles and frees every tensor, leaving the caller input alone', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 3 })] });
    await withoutLeaks(async () => {
      const stats = await measureLatency(model, { batchSize: 2, warmup: 1, runs: 7 });
      expect(stats).toMatchObject({ runs: 7, warmup: 1, batchSize: 2, backend: 'wasm' });
      expect(stats.p10Ms).toBeGreaterThan(0);
      expect(stats.p10Ms).toBeLessThanOrEqual(stats.medianMs);
      expect(stats.medianMs).toBeLessThanOrEqual(stats.p90Ms);
      expect(typeof stats.kernelMs).toBe('number');

      const input = tf.ones([4, 8, 8, 3]);
      await measureLatency(model, { batchSize: 4, warmup: 0, runs: 2, input });
      expect(input.isDisposed).toBe(false);
      await expect(measureLatency(model, { batchSize: 3, input })).rejects.toMatchObject({ code: 'BAD_LATENCY_OPTION' });
      await expect(measureLatency(model, { batchSize: 1, runs: 0 })).rejects.toMatchObject({ code: 'BAD_LATENCY_OPTION' });
      input.dispose();
    });
    model.dispose();
  });
});
