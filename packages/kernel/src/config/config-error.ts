import { WhittleError } from '../errors/whittle-error.js';

/** One problem in a pipeline file: where (a JSON pointer) and what is wrong. */
export interface ConfigIssue {
  /** JSON pointer into the pipeline, e.g. `/stages/1/options/epochs`; `` for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** A pipeline file that does not validate: every issue found, each with its JSON path. Exit code 2. */
export class ConfigError extends WhittleError {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      'input',
      'CONFIG_INVALID',
      `${file}: the pipeline is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`).join('\n'),
    );
  }
}
