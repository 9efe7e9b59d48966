import type { SeededRng } from '@whittle/kernel';

/** A standard normal sample (Box–Muller) from a seeded stream. */
export function standardNormal(rng: SeededRng): number {
  const u = Math.max(rng.next(), 1e-12);
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A sample of N(mean, sigma²) truncated to [low, high] (HAQ's exploration,
 * `sample_from_truncated_normal_distribution`, scipy's `truncnorm`): rejection sampling, which is
 * exact; after 1,000 rejections (a mean far outside the interval) the nearer bound.
 */
export function truncatedNormal(rng: SeededRng, mean: number, sigma: number, low = 0, high = 1): number {
  if (sigma <= 0) return Math.min(high, Math.max(low, mean));
  for (let i = 0; i < 1000; i++) {
    const x = mean + sigma * standardNormal(rng);
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mean));
}
