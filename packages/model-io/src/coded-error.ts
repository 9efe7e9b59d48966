/**
 * An error that says what went wrong in a stable `code`, how to fix it (`hint`, appended to the
 * message after `fix:`) and its `kind`, which decides the CLI's exit code (`input`: a bad config,
 * argument, file or dataset, exit 2; `runtime`: a failure while running, exit 1). The base of
 * model I/O's `ModelIoError` and the kernel's `WhittleError` (this package is below the kernel);
 * subclasses set `name`, by which errors are recognised across copies of a package.
 *
 * ```ts
 * class MyError extends CodedError { override readonly name = 'MyError'; }
 * new MyError('input', 'BAD_PATH', 'out/ is a file', 'Name a folder.').exitCode; // 2
 * ```
 */
export abstract class CodedError extends Error {
  constructor(
    readonly kind: 'input' | 'runtime',
    /** A stable, upper-snake-case code that tests and tools can match on. */
    readonly code: string,
    message: string,
    /** How to fix it, shown after the message. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint === undefined ? message : `${message}\n  fix: ${hint}`, options);
  }

  get exitCode(): 1 | 2 {
    return this.kind === 'input' ? 2 : 1;
  }
}
