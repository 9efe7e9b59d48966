import { CodedError, isModelIoError } from '@whittle/model-io';

/**
 * Every error Whittle raises on purpose. `kind` decides the CLI's exit code:
 * `input` (bad config, arguments, files: exit 2) or `runtime` (a failure while running: exit 1).
 *
 * ```ts
 * throw new WhittleError('input', 'WEIGHTS_PATH_ESCAPES', `model.json: weight path "../x.bin" leaves the model's folder`,
 *   'Keep weight shards next to model.json.');
 * ```
 */
export type WhittleErrorKind = 'input' | 'runtime';

export class WhittleError extends CodedError {
  override readonly name: string = 'WhittleError';
}

/** A bad config, argument, model file or dataset: exit code 2. */
export function inputError(code: string, message: string, hint?: string, cause?: unknown): WhittleError {
  return new WhittleError('input', code, message, hint, cause === undefined ? undefined : { cause });
}

/** A failure while running: exit code 1. */
export function runtimeError(code: string, message: string, hint?: string, cause?: unknown): WhittleError {
  return new WhittleError('runtime', code, message, hint, cause === undefined ? undefined : { cause });
}

/** A `WhittleError`, or `@whittle/model-io`'s `ModelIoError` (the same shape: kind, code, hint, exit code). */
export function isWhittleError(error: unknown): error is WhittleError {
  if (isModelIoError(error)) return true;
  return error instanceof Error && (error as Partial<WhittleError>).name === 'WhittleError' && typeof (error as Partial<WhittleError>).code === 'string';
}
