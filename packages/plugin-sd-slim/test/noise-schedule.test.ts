import { describe, expect, it } from 'vitest';
import { NoiseSchedule } from '../src/index.js';

describe('NoiseSchedule', () => {
  it('linear: β evenly spaced from 1e-4 to 0.02 and ᾱ_t = Π(1 − β_i)', () => {
    const s = NoiseSchedule.create({ kind: 'linear', steps: 1000 });
    expect(s.betas[0]).toBeCloseTo(1e-4, 12);
    expect(s.betas[999]).toBeCloseTo(0.02, 12);
    expect(s.betas[500]).toBeCloseTo(1e-4 + (0.02 - 1e-4) * 500 / 999, 12);
    // log ᾱ_t = Σ log(1 − β_i), summed independently.
    let log = 0;
    for (let t = 0; t <= 999; t++) log += Math.log(1 - (1e-4 + (0.02 - 1e-4) * t / 999));
    expect(Math.log(s.alphaBarAt(999))).toBeCloseTo(log, 9);
    expect(s.alphaBarAt(999)).toBeCloseTo(4.036e-5, 7); // DDPM's well-known ᾱ_T for T = 1000
  });

  it('cosine: ᾱ_t = f(t+1)/f(0) with f(u) = cos²((u/T + s)/(1 + s)·π/2) where no β is clipped', () => {
    const T = 100;
    const s = NoiseSchedule.create({ kind: 'cosine', steps: T });
    const f = (u: number) => Math.cos(((u / T) + 0.008) / 1.008 * Math.PI / 2) ** 2;
    for (const t of [0, 10, 50, 90]) expect(s.alphaBarAt(t)).toBeCloseTo(f(t + 1) / f(0), 10);
    expect(s.betas[T - 1]).toBe(0.999); // the last β is clipped
    expect(s.alphaBarAt(-1)).toBe(1);
  });

  it('DDIM timesteps run evenly from T−1 to 0; bad input is refused', () => {
    const s = NoiseSchedule.create({ kind: 'linear', steps: 1000 });
    expect(s.ddimTimesteps(10)).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    expect(() => s.ddimTimesteps(0)).toThrow(/DDIM steps/);
    expect(() => NoiseSchedule.create({ kind: 'linear', steps: 0 })).toThrow(/steps/);
  });
});
