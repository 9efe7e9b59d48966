import { CodedError } from './coded-error.js';

/**
 * The error every model-I/O function raises on purpose: a model file, a weight shard or an output
 * path that is wrong, named in the message, with a stable `code` and a `kind` that decides the exit
 * code (`input`: exit 2; `runtime`: exit 1). It has the shape of `@whittle/kernel`'s `WhittleError`,
 * and the kernel's `isWhittleError` recognises it (this package does not import the kernel), so the
 * CLI reports it as it reports its own errors.
 *
 * ```ts
 * try {
 *   await loadModel('missing/model.json');
 * } catch (error) {
 *   if (isModelIoError(error)) console.error(error.code, error.exitCode); // MODEL_NOT_FOUND 2
 * }
 * ```
 */
export class ModelIoError extends CodedError {
  override readonly name: string = 'ModelIoError';
}

/** A bad model file, shard or output path: exit code 2. */
export function inputError(code: string, message: string, hint?: string, cause?: unknown): ModelIoError {
  return new ModelIoError('input', code, message, hint, cause === undefined ? undefined : { cause });
}

/** A failure while saving or rebuilding a model: exit code 1. */
export function runtimeError(code: string, message: string, hint?: string, cause?: unknown): ModelIoError {
  return new ModelIoError('runtime', code, message, hint, cause === undefined ? undefined : { cause });
}

/** Whether `error` is a `ModelIoError` (by name, so that it holds across copies of this package). */
export function isModelIoError(error: unknown): error is ModelIoError {
  return error instanceof Error && error.name === 'ModelIoError' && typeof (error as Partial<ModelIoError>).code === 'string';
}

/** An error that says its kind and code, as `ModelIoError` and the kernel's `WhittleError` do. */
export type KindedError = Error & { readonly kind: 'input' | 'runtime'; readonly code: string; readonly exitCode: 1 | 2 };

/**
 * Whether `error` already says its kind and code — a `ModelIoError`, or the kernel's `WhittleError`
 * thrown by a custom layer while tfjs builds it: such errors pass through model I/O unchanged.
 */
export function saysItsKind(error: unknown): error is KindedError {
  const e = error as Partial<ModelIoError> | undefined;
  return error instanceof Error && (e?.kind === 'input' || e?.kind === 'runtime') && typeof e.code === 'string';
}
