const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Latency of `count` models timed together: `windows` rounds, each round timing every model in turn
 * (`runs` calls of `measure(i)`, their median), and per model the lowest round's median. A burst of other work on a shared machine lands in one
 * round of a few models and reads high there; the lowest round discards it, and interleaving keeps
 * every model's figure from the same stretch of the machine's time. Returns ms per model.
 * `steadyLatency` is this with one `measureLatency` call per model and window.
 *
 * ```ts
 * const [fullMs, slimMs] = await roundRobinLowest(2, { windows: 3, runs: 10 }, (i) => timedPredict([full, slim][i]!, inputs));
 * ```
 */
export async function roundRobinLowest(count: number, options: { readonly windows: number; readonly runs: number }, measure: (model: number) => Promise<number>): Promise<number[]> {
  if (!(options.windows >= 1 && options.runs >= 1)) throw new Error(`roundRobinLowest: windows and runs must be ≥ 1, got ${options.windows} and ${options.runs}`);
  const lowest = Array.from({ length: count }, () => Infinity);
  for (let window = 0; window < options.windows; window++) {
    for (let i = 0; i < count; i++) {
      const times: number[] = [];
      for (let r = 0; r < options.runs; r++) times.push(await measure(i));
      lowest[i] = Math.min(lowest[i] as number, median(times));
    }
  }
  return lowest;
}
