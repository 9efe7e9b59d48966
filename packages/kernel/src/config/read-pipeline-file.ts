import { readFile } from 'node:fs/promises';
import { inputError } from '../errors/whittle-error.js';
import { ConfigError } from './config-error.js';

/** Reads and parses a pipeline file; a syntax error names its line and column. */
export async function readPipelineFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw inputError('CONFIG_NOT_FOUND', `cannot read pipeline file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'Check the path.', error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    let where = '';
    if (position !== undefined) {
      const before = text.slice(0, Number(position));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(position) - before.lastIndexOf('\n')}`;
    }
    throw new ConfigError(path, [{ path: '', message: `not valid JSON${where}: ${message}` }]);
  }
}
