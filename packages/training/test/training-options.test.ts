import * as tf from '@tensorflow/tfjs';
import { Value } from '@sinclair/typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, learningRateAt, setLearningRate, TrainingOptionsSchema, type TrainingOptions } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The schema's defaults with some fields overridden. */
function options(overrides: Partial<TrainingOptions>): TrainingOptions {
  return { ...(Value.Default(TrainingOptionsSchema, {}) as TrainingOptions), ...overrides };
}

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    const o = options({ schedule: 'constant', learningRate: 0.01, epochs: 4 });
    expect([0, 1, 3].map((e) => learningRateAt(o, e))).toEqual([0.01, 0.01, 0.01]);
  });

  it('decays along a half cosine over the epochs', () => {
    const o = options({ schedule: 'cosine', learningRate: 0.2, epochs: 4 });
    expect(learningRateAt(o, 0)).toBeCloseTo(0.2, 12);
    expect(learningRateAt(o, 2)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(o, 3)).toBeCloseTo(0.1 * (1 + Math.cos((3 * Math.PI) / 4)), 12);
  });

  it('multiplies by gamma every stepEvery epochs', () => {
    const o = options({ schedule: 'step', learningRate: 1, stepEvery: 2, gamma: 0.5, epochs: 6 });
    expect([0, 1, 2, 3, 4, 5].map((e) => learningRateAt(o, e))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
  });
});

describe('createOptimizer', () => {
  it('builds the optimizer the options name, and changing its rate between epochs leaks nothing', () => {
    const w = tf.variable(tf.scalar(1));
    for (const name of ['sgd', 'momentum', 'adam'] as const) {
      const optimizer = createOptimizer(options({ optimizer: name, learningRate: 0.5 }));
      expect(optimizer.getClassName().toLowerCase()).toContain(name);
      tf.tidy(() => w.assign(tf.scalar(1)));
      setLearningRate(optimizer, 0.1);
      // One step on loss = w: sgd moves w by exactly the rate.
      optimizer.minimize(() => w.mul(1).asScalar());
      if (name === 'sgd') expect(w.dataSync()[0]).toBeCloseTo(0.9, 6);
      else expect(w.dataSync()[0]).toBeLessThan(1);
      // The optimizer's state exists now; further epochs (a new rate, a step) must not add tensors.
      const afterFirstStep = tf.memory().numTensors;
      for (let epoch = 0; epoch < 3; epoch++) {
        setLearningRate(optimizer, 0.1 / (epoch + 2));
        optimizer.minimize(() => w.mul(1).asScalar());
      }
      expect(tf.memory().numTensors).toBe(afterFirstStep);
      optimizer.dispose();
    }
    w.dispose();
  });
});
