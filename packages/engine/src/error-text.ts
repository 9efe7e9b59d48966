/**
 * The first line of an error's message, trimmed to 200 characters: enough to say what failed in a
 * one-line summary without a native library's whole stack.
 *
 * ```ts
 * firstLine(new Error('no adapter\n  at …')); // 'no adapter'
 * ```
 */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
