import { describe, expect, it } from 'vitest';
import { roundRobinLowest } from '../src/index.js';

describe('roundRobinLowest (steadyLatency\'s and the sd-slim redundancy table\'s latency)', () => {
  it('times the models in turn, window after window, and keeps each one\'s lowest window median, so a load burst in one window does not decide', async () => {
    const base = [10, 9, 9.5, 12];
    const order: number[] = [];
    let call = 0;
    // A burst of other work slows calls 3…14 (window 0: the end of model 0, models 1 and 2 and the start of 3) by 8 ms.
    const measure = async (i: number): Promise<number> => {
      order.push(i);
      const slow = call >= 3 && call < 15 ? 8 : 0;
      call++;
      return base[i]! + slow + (call % 2) * 0.01;
    };
    const lowest = await roundRobinLowest(4, { windows: 3, runs: 4 }, measure);
    expect(order).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3].concat(...[1, 2].map(() => [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])));
    lowest.forEach((ms, i) => expect(ms).toBeCloseTo(base[i]!, 1));
    // The single-window median (the old per-block figure) would have read model 1 as slower than the full model 0.
    const savedByModel1 = lowest[0]! - lowest[1]!;
    expect(savedByModel1).toBeCloseTo(1, 1);
  });

  it('refuses zero windows or runs', async () => {
    await expect(roundRobinLowest(2, { windows: 0, runs: 3 }, async () => 1)).rejects.toThrow(/windows and runs must be ≥ 1/);
  });
});
