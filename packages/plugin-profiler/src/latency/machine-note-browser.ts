/**
 * `machineNote` in a browser (swapped in for machine-note.js by the package's `browser` field): the
 * user agent and the number of logical cores the page sees.
 *
 * ```ts
 * machineNote(); // 'Mozilla/5.0 (X11; Linux x86_64) … HeadlessChrome/…, 16 logical cores'
 * ```
 */
export function machineNote(): string {
  const nav = (globalThis as { navigator?: { userAgent?: string; hardwareConcurrency?: number } }).navigator;
  return `${nav?.userAgent ?? 'unknown browser'}, ${nav?.hardwareConcurrency ?? '?'} logical cores`;
}
