/**
 * Runs `fn`, expecting it to throw (a `WhittleError` or anything with a `code`); returns the code and
 * message. Fails the test when nothing is thrown.
 *
 * ```ts
 * expect((await errorOf(() => load('missing.json'))).code).toBe('MODEL_FILE_MISSING');
 * ```
 */
export async function errorOf(fn: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return { code: String(e.code), message: String(e.message) };
  }
  throw new Error('expected an error, none was thrown');
}
