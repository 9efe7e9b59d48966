import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { calibrateToMeasured } from '../../src/index.js';

/** Stand-ins for models: only identity and dispose matter to the calibration loop. */
function fakeModel(label: number): tf.LayersModel & { label: number; disposed: boolean } {
  const m = { label, disposed: false, dispose() { m.disposed = true; } };
  return m as unknown as tf.LayersModel & { label: number; disposed: boolean };
}

describe('calibrateToMeasured', () => {
  it('rescales the budget by budget/measured until the measurement is within tolerance, disposing the rest', async () => {
    const made: ReturnType<typeof fakeModel>[] = [];
    // The "real" latency is 1.25 × the budget given to the predictor.
    const result = await calibrateToMeasured(
      10,
      async (effective) => {
        const model = fakeModel(effective);
        made.push(model);
        return { model, predictedMs: effective, extra: effective };
      },
      async (model) => (model as ReturnType<typeof fakeModel>).label * 1.25,
      { rounds: 5, tolerance: 0.03 },
    );
    expect(result.rounds.map((r) => r.effectiveBudgetMs)).toEqual([10, 8]);
    expect(result.measuredMs).toBeCloseTo(10, 10);
    expect(result.extra).toBe(8);
    expect(made.map((m) => m.disposed)).toEqual([true, false]);
  });

  it('keeps the closest attempt that is not over budget beyond the tolerance, and never disposes the original', async () => {
    const original = fakeModel(0);
    const latencies = [12, 9.5, 10.6];
    let i = 0;
    const result = await calibrateToMeasured(
      10,
      async () => ({ model: i === 1 ? original : fakeModel(i), predictedMs: 0, extra: i }),
      async () => latencies[i++]!,
      { rounds: 3, tolerance: 0.03, original },
    );
    expect(result.model).toBe(original); // 9.5 ms: 5% under beats 6% and 20% over
    expect(result.rounds).toHaveLength(3);
    expect(original.disposed).toBe(false);
  });

  it('rethrows when even the first attempt fails, and stops quietly when a rescaled one does', async () => {
    await expect(calibrateToMeasured(1, async () => Promise.reject(new Error('budget below the smallest reachable latency')), async () => 1, { rounds: 3, tolerance: 0.03 })).rejects.toThrow('smallest reachable');
    let calls = 0;
    const result = await calibrateToMeasured(
      10,
      async () => {
        if (calls++ > 0) throw new Error('unreachable');
        return { model: fakeModel(1), predictedMs: 10, extra: 'first' };
      },
      async () => 13,
      { rounds: 3, tolerance: 0.03 },
    );
    expect(result.extra).toBe('first');
    expect(result.rounds).toHaveLength(1);
  });
});
