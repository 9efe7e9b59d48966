import * as tf from '@tensorflow/tfjs';
import { TempDir, useWasm, withoutLeaks } from '@whittle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupNormalization, groupsFor } from '../src/index.js';
import { maxAbsDiff, roundTrip } from './helpers/tiny-unet.js';

const temp = new TempDir('whittle-sd-slim-gn-');
afterAll(() => temp.cleanup());
beforeAll(useWasm);

describe('GroupNormalization', () => {
  it('normalises each group over (H, W, C/G) per example, then scales and shifts per channel (≤ 1e-5 of the textbook formula)', async () => {
    await withoutLeaks(() => {
      const layer = new GroupNormalization({ groups: 2 });
      const x = tf.randomNormal([3, 4, 5, 6], 2, 3, 'float32', 1) as tf.Tensor4D;
      tf.dispose(layer.apply(x) as tf.Tensor);
      const gamma = tf.randomNormal([6], 1, 0.5, 'float32', 2);
      const beta = tf.randomNormal([6], 0, 0.5, 'float32', 3);
      layer.setWeights([gamma, beta]);
      const y = layer.apply(x) as tf.Tensor;
      const expected = tf.tidy(() => {
        const g = tf.reshape(x, [3, 4, 5, 2, 3]);
        const { mean, variance } = tf.moments(g, [1, 2, 4], true);
        return tf.add(tf.mul(tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-5))), [3, 4, 5, 6]), gamma), beta);
      });
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
      tf.dispose([x, y, expected, gamma, beta]);
      layer.dispose();
    });
  });

  it('round-trips through save/load, and refuses groups that do not divide the channels', async () => {
    const input = tf.input({ shape: [4, 4, 6] });
    const model = tf.model({ inputs: input, outputs: new GroupNormalization({ groups: 3, name: 'gn' }).apply(input) as tf.SymbolicTensor });
    await withoutLeaks(async () => {
      const x = tf.randomNormal([2, 4, 4, 6], 0, 1, 'float32', 4);
      const loaded = await roundTrip(model, temp, 'gn');
      const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(maxAbsDiff(a, b)).toBe(0);
      expect(loaded.getLayer('gn').getConfig()['groups']).toBe(3);
      tf.dispose([x, a, b]);
      loaded.dispose();
    });
    model.dispose();
    expect(() => new GroupNormalization({ groups: 4 }).apply(tf.input({ shape: [4, 4, 6] }))).toThrow(/4 groups do not divide 6 channels/);
    expect(groupsFor(16)).toBe(8);
    expect(groupsFor(12)).toBe(6);
    expect(groupsFor(7)).toBe(7);
    expect(groupsFor(1)).toBe(1);
  });
});
