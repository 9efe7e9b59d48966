import { NoiseSchedule } from './noise-schedule.js';

/**
 * The diffusion settings of the committed teacher (examples/sd-slim/teacher), which the stages and
 * the sampling metrics use unless told otherwise: cosine schedule over T = 1000 steps, 20 DDIM
 * sampling steps, seed 1 for x_T, 0.1 label dropout in training.
 */
export const DIFFUSION_DEFAULTS = { schedule: 'cosine', timesteps: 1000, ddimSteps: 20, sampleSeed: 1, labelDropout: 0.1 } as const;

/** The schedule of `DIFFUSION_DEFAULTS`. */
export function defaultSchedule(): NoiseSchedule {
  return NoiseSchedule.create({ kind: DIFFUSION_DEFAULTS.schedule, steps: DIFFUSION_DEFAULTS.timesteps });
}
