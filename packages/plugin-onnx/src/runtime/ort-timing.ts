import type { OrtFeed, OrtSession } from './ort-session.js';

/** Timed runs of one session: median and spread (ms), read-back included. */
export interface OrtTimes {
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly runs: number;
}

export interface OrtTimingOptions {
  /** Untimed runs first. */
  readonly warmup: number;
  /** Timed runs. */
  readonly runs: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at] as number;
}

/**
 * Times `session.run(feeds)`: `warmup` untimed runs, then `runs` timed ones, each from the call to
 * its outputs in JavaScript (what a Node service waits for).
 *
 * ```ts
 * const { medianMs } = await timeOrtSession(session, [{ values, shape: [1, 32, 32, 3] }], { warmup: 20, runs: 100 });
 * ```
 */
export async function timeOrtSession(session: OrtSession, feeds: readonly OrtFeed[], options: OrtTimingOptions): Promise<OrtTimes> {
  for (let i = 0; i < options.warmup; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    await session.run(feeds);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: quantile(times, 0.5), p10Ms: quantile(times, 0.1), p90Ms: quantile(times, 0.9), runs: times.length };
}

/**
 * Latency of several sessions measured together: `windows` round-robin rounds of each session's
 * median of `runs`, the lowest round kept per session (a round preempted by other work reads high;
 * interleaving keeps the figures comparable).
 *
 * ```ts
 * const [denseMs, prunedMs] = await steadyOrtLatency([dense, pruned], [feeds, feeds], { warmup: 10, runs: 100, windows: 3 });
 * ```
 */
export async function steadyOrtLatency(
  sessions: readonly OrtSession[], feeds: readonly (readonly OrtFeed[])[], options: OrtTimingOptions & { readonly windows: number },
): Promise<number[]> {
  const best = sessions.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < options.windows; round++) {
    for (const [i, session] of sessions.entries()) {
      const { medianMs } = await timeOrtSession(session, feeds[i] as readonly OrtFeed[], { warmup: round === 0 ? options.warmup : Math.min(options.warmup, 5), runs: options.runs });
      best[i] = Math.min(best[i] as number, medianMs);
    }
  }
  return best;
}

/**
 * Each session's latency as the median, over `windows` round-robin rounds, of its ratio to the
 * reference session's median in the same round: drift in the machine's speed cancels out of
 * each ratio, and the median over rounds drops a round where one side was preempted.
 *
 * ```ts
 * const [ratio] = await ortLatencyRatios(dense, [pruned], feeds, { warmup: 10, runs: 100, windows: 5 }); // pruned ÷ dense
 * ```
 */
export async function ortLatencyRatios(
  reference: OrtSession, sessions: readonly OrtSession[], feeds: readonly OrtFeed[], options: OrtTimingOptions & { readonly windows: number },
): Promise<number[]> {
  const ratios: number[][] = sessions.map(() => []);
  for (let round = 0; round < options.windows; round++) {
    const warmup = round === 0 ? options.warmup : Math.min(options.warmup, 5);
    for (const [i, session] of sessions.entries()) {
      const before = await timeOrtSession(reference, feeds, { warmup, runs: options.runs });
      const own = await timeOrtSession(session, feeds, { warmup, runs: options.runs });
      const after = await timeOrtSession(reference, feeds, { warmup: 0, runs: options.runs });
      (ratios[i] as number[]).push(own.medianMs / Math.min(before.medianMs, after.medianMs));
    }
  }
  return ratios.map((r) => {
    const sorted = [...r].sort((a, b) => a - b);
    return quantile(sorted, 0.5);
  });
}
