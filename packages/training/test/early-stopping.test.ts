import * as tf from '@tensorflow/tfjs';
import type { MetricProvider } from '@whittle/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import { EarlyStopping, formatValidation, type ValidationMetric } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A validation metric whose direction is all EarlyStopping reads. */
function metric(better: 'higher' | 'lower'): ValidationMetric {
  return { provider: { name: better === 'higher' ? 'accuracy' : 'l1', better } as MetricProvider } as ValidationMetric;
}

/** A one-weight model whose weight stands for "the epoch's weights". */
function oneWeightModel(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false })] });
}

function setWeight(model: tf.LayersModel, value: number): void {
  tf.tidy(() => model.setWeights([tf.tensor2d([[value]])]));
}

describe('EarlyStopping', () => {
  it('stops after patience epochs without a gain above minDelta and restores the best weights', () => {
    const model = oneWeightModel();
    const before = tf.memory().numTensors;
    const tracker = new EarlyStopping({ earlyStop: { patience: 2, minDelta: 0.01 } }, metric('higher'));
    const figures = [0.5, 0.7, 0.705, 0.69, 0.9];
    const stops = figures.map((figure, epoch) => {
      setWeight(model, epoch);
      return tracker.stoppedEarly ? undefined : tracker.update(figure, model);
    });
    // 0.705 is not 0.01 better than 0.7: epochs 3 and 4 count against patience 2; epoch 5 never runs.
    expect(stops).toEqual([false, false, false, true, undefined]);
    expect(tracker.best).toBe(0.7);
    tracker.finish(model);
    expect((model.getWeights()[0] as tf.Tensor).dataSync()[0]).toBe(1);
    tracker.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('treats lower as better for L1, and without earlyStop keeps only the best figure', () => {
    const model = oneWeightModel();
    const before = tf.memory().numTensors;
    const tracker = new EarlyStopping({}, metric('lower'));
    expect([0.3, 0.2, 0.25, 0.26, 0.27].map((f) => tracker.update(f, model))).toEqual([false, false, false, false, false]);
    expect(tracker.best).toBe(0.2);
    setWeight(model, 7);
    tracker.finish(model);
    expect((model.getWeights()[0] as tf.Tensor).dataSync()[0]).toBe(7);
    tracker.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('formats accuracy in percent and other metrics to 4 digits', () => {
    expect(formatValidation('accuracy', 0.91234)).toBe('validation accuracy 91.23%');
    expect(formatValidation('l1', 0.0123456)).toBe('validation l1 0.01235');
  });
});
