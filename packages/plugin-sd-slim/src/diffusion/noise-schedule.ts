/** Which β schedule: DDPM's linear one or Nichol & Dhariwal's cosine one. */
export type ScheduleKind = 'linear' | 'cosine';

/** Options of `NoiseSchedule.create`. */
export interface NoiseScheduleOptions {
  readonly kind: ScheduleKind;
  /** Diffusion steps T. */
  readonly steps: number;
  /** Linear: β₁ and β_T (DDPM: 1e-4, 0.02). */
  readonly betaStart?: number;
  readonly betaEnd?: number;
  /** Cosine: the offset s (0.008) and the largest β (0.999). */
  readonly cosineOffset?: number;
  readonly maxBeta?: number;
}

/**
 * A DDPM noise schedule over T steps (index t = 0 … T−1): β_t, α_t = 1 − β_t, ᾱ_t = Π_{i≤t} α_i.
 * - linear (Ho et al. 2020): β_t evenly spaced from betaStart to betaEnd;
 * - cosine (Nichol & Dhariwal 2021): ᾱ(t) = f(t+1)/f(0), f(u) = cos²(((u/T) + s)/(1 + s)·π/2),
 *   β_t = 1 − ᾱ(t)/ᾱ(t−1) clipped to maxBeta.
 * Computed in float64.
 *
 * ```ts
 * const schedule = NoiseSchedule.create({ kind: 'cosine', steps: 1000 });
 * schedule.alphaBar[999];
 * ```
 */
export class NoiseSchedule {
  private constructor(readonly kind: ScheduleKind, readonly betas: Float64Array, readonly alphaBar: Float64Array) {}

  get steps(): number {
    return this.betas.length;
  }

  static create(options: NoiseScheduleOptions): NoiseSchedule {
    const { kind, steps } = options;
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`NoiseSchedule: steps must be a positive integer, got ${steps}`);
    const betas = new Float64Array(steps);
    if (kind === 'linear') {
      const start = options.betaStart ?? 1e-4;
      const end = options.betaEnd ?? 0.02;
      if (!(start > 0 && end < 1 && start <= end)) throw new Error(`NoiseSchedule: linear needs 0 < betaStart ≤ betaEnd < 1, got ${start}, ${end}`);
      for (let t = 0; t < steps; t++) betas[t] = steps === 1 ? start : start + (end - start) * t / (steps - 1);
    } else if (kind === 'cosine') {
      const s = options.cosineOffset ?? 0.008;
      const maxBeta = options.maxBeta ?? 0.999;
      const f = (u: number) => Math.cos(((u / steps) + s) / (1 + s) * Math.PI / 2) ** 2;
      for (let t = 0; t < steps; t++) betas[t] = Math.min(1 - f(t + 1) / f(t), maxBeta);
    } else {
      throw new Error(`NoiseSchedule: kind must be "linear" or "cosine", got ${String(kind)}`);
    }
    const alphaBar = new Float64Array(steps);
    let product = 1;
    for (let t = 0; t < steps; t++) {
      product *= 1 - (betas[t] as number);
      alphaBar[t] = product;
    }
    return new NoiseSchedule(kind, betas, alphaBar);
  }

  /** ᾱ at step t; ᾱ_{−1} = 1 (the clean image). */
  alphaBarAt(t: number): number {
    if (t < 0) return 1;
    const value = this.alphaBar[t];
    if (value === undefined) throw new Error(`NoiseSchedule: step ${t} is outside 0…${this.steps - 1}`);
    return value;
  }

  /** `stepCount` DDIM timesteps, evenly spaced, from T−1 down (e.g. T = 1000, 10 steps: 999, 888, … , 0). */
  ddimTimesteps(stepCount: number): number[] {
    if (!Number.isInteger(stepCount) || stepCount < 1 || stepCount > this.steps) throw new Error(`DDIM steps must be an integer in 1…${this.steps}, got ${stepCount}`);
    if (stepCount === 1) return [this.steps - 1];
    return Array.from({ length: stepCount }, (_, i) => Math.round((this.steps - 1) * (1 - i / (stepCount - 1))));
  }
}
