import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATION_KINDS, MERGE_KINDS, signatureOp, type ActivationKind, type LayerSignature, type MergeKind } from '../../src/index.js';
import { leakedBy, useWasm } from '@whittle/testing';

const base = {
  batch: 2, cin: 5, cout: 5, height: 6, width: 7, kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid', groups: 5, multiplier: 1, backend: 'wasm', adapter: null,
} as const;

/** The tfjs-layers layer whose inference the signature stands for. */
function activationLayer(kind: ActivationKind): tf.layers.Layer {
  switch (kind) {
    case 'relu-max': return tf.layers.reLU({ maxValue: 6 });
    case 'leaky-relu': return tf.layers.leakyReLU({ alpha: 0.3 });
    case 'thresholded-relu': return tf.layers.thresholdedReLU({ theta: 1 });
    default: {
      const identifier = { 'hard-sigmoid': 'hardSigmoid', 'gelu-new': 'gelu_new' }[kind as string] ?? kind;
      return tf.layers.activation({ activation: identifier as 'relu' });
    }
  }
}

/** What each merge layer computes. tfjs has no `tf.layers.subtract` factory; its Subtract layer (from saved models) runs tf.sub. */
const MERGE_LAYER: Record<MergeKind, () => (xs: tf.Tensor[]) => tf.Tensor> = {
  add: () => applied(tf.layers.add({})),
  subtract: () => ([a, b]) => tf.sub(a!, b!),
  multiply: () => applied(tf.layers.multiply({})),
  average: () => applied(tf.layers.average({})),
  maximum: () => applied(tf.layers.maximum({})),
  minimum: () => applied(tf.layers.minimum({})),
};

function applied(layer: tf.layers.Layer): (xs: tf.Tensor[]) => tf.Tensor {
  return (xs) => layer.apply(xs) as tf.Tensor;
}

/** Runs the signature's op on its own random inputs and the layer on the same inputs; returns the largest difference. */
function differenceFromLayer(signature: LayerSignature, layer: (inputs: tf.Tensor[]) => tf.Tensor): number {
  const { tensors, run } = signatureOp(signature, 3);
  try {
    return tf.tidy(() => {
      const y = run();
      const expected = layer(tensors);
      expect(y.shape).toEqual(expected.shape);
      return tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0] as number;
    });
  } finally {
    tf.dispose(tensors);
  }
}

beforeAll(useWasm);

describe('signatureOp', () => {
  it('runs what the tfjs-layers activation layers run', async () => {
    expect(await leakedBy(async () => {
      for (const activation of ACTIVATION_KINDS) {
        const layer = activationLayer(activation);
        expect(differenceFromLayer({ ...base, op: 'activation', activation }, ([x]) => layer.apply(x!) as tf.Tensor), activation).toBeLessThan(1e-5);
        layer.dispose?.();
      }
    })).toBe(0);
  });

  it('runs what the merge layers run, for 2 and 3 inputs', async () => {
    expect(await leakedBy(async () => {
      for (const merge of MERGE_KINDS) {
        for (const inputs of merge === 'subtract' ? [2] : [2, 3]) {
          expect(differenceFromLayer({ ...base, op: 'merge', merge, inputs }, MERGE_LAYER[merge]()), `${merge} ×${inputs}`).toBeLessThan(1e-6);
        }
      }
    })).toBe(0);
  });

  it('runs what BatchNorm, pooling and padding layers run', async () => {
    expect(await leakedBy(async () => {
      const batchNorm = tf.layers.batchNormalization({ epsilon: 1e-3 });
      const bn = differenceFromLayer({ ...base, op: 'batch-norm' }, ([x, mean, variance, offset, scale]) => {
        batchNorm.build(x!.shape);
        batchNorm.setWeights([scale!, offset!, mean!, variance!]);
        return batchNorm.apply(x!) as tf.Tensor;
      });
      expect(bn).toBeLessThan(1e-5);
      for (const weight of batchNorm.weights) weight.dispose();
      const layers: Array<[LayerSignature, tf.layers.Layer]> = [
        [{ ...base, op: 'max-pool', kernel: [3, 2], stride: [2, 1], padding: 'same' }, tf.layers.maxPooling2d({ poolSize: [3, 2], strides: [2, 1], padding: 'same' })],
        [{ ...base, op: 'avg-pool', kernel: [2, 2], stride: [2, 2], padding: 'valid' }, tf.layers.averagePooling2d({ poolSize: 2 })],
        [{ ...base, op: 'global-avg-pool' }, tf.layers.globalAveragePooling2d({})],
        [{ ...base, op: 'global-max-pool' }, tf.layers.globalMaxPooling2d({})],
        [{ ...base, op: 'zero-pad', pads: [1, 0, 2, 3] }, tf.layers.zeroPadding2d({ padding: [[1, 0], [2, 3]] })],
      ];
      for (const [signature, layer] of layers) expect(differenceFromLayer(signature, ([x]) => layer.apply(x!) as tf.Tensor), signature.op).toBeLessThan(1e-6);
    })).toBe(0);
  });

  it('refuses a Subtract of more than two inputs', () => {
    expect(() => signatureOp({ ...base, op: 'merge', merge: 'subtract', inputs: 3 }, 1)).toThrow(/exactly 2 inputs/);
  });
});
