import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunMemo } from '../../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('RunMemo', () => {
  it('makes a value once per (objects, name), keeps entries of other objects apart, and frees all on dispose', () => {
    const before = tf.memory().numTensors;
    const memo = new RunMemo();
    const [a, b] = [{}, {}];
    let made = 0;
    const make = (): tf.Tensor => (made++, tf.scalar(made));
    expect(memo.has([a], 'x')).toBe(false);
    const first = memo.get([a], 'x', make);
    expect(memo.has([a], 'x')).toBe(true);
    expect(memo.get([a], 'x', make)).toBe(first);
    expect(made).toBe(1);
    expect(memo.get([b], 'x', make)).not.toBe(first);
    expect(memo.get([a], 'y', make)).not.toBe(first);
    expect(memo.get([a, b], 'x', make)).not.toBe(memo.get([b, a], 'x', make));
    expect([made, memo.size]).toEqual([5, 5]);
    memo.dispose();
    expect(first.isDisposed).toBe(true);
    expect(memo.size).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
