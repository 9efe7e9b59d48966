/** The signals that interrupt a run, and the exit code a shell gives each (128 + its number). */
export const INTERRUPT_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

export type InterruptSignal = keyof typeof INTERRUPT_EXIT;

/**
 * While `work` runs, SIGINT and SIGTERM abort the signal it is given (with the signal's name as the
 * reason) instead of killing the process, so the run can mark its report; the listeners are removed
 * when it settles.
 *
 * ```ts
 * const report = await whileInterruptible((signal) => runPipeline(file, { signal }));
 * ```
 */
export async function whileInterruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const listeners = (Object.keys(INTERRUPT_EXIT) as InterruptSignal[]).map((name) => {
    const listener = (): void => controller.abort(name);
    process.on(name, listener);
    return () => process.off(name, listener);
  });
  try {
    return await work(controller.signal);
  } finally {
    for (const off of listeners) off();
  }
}
