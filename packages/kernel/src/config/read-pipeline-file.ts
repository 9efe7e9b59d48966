import { readFile } from 'node:fs/promises';
import { inputError } from '../errors/whittle-error.js';
import { parseJsonBytes } from '@whittle/model-io';
import { ConfigError } from './config-error.js';

/**
 * Reads and parses a pipeline file. A syntax error names its kind, line and column (never the file's
 * text: a wrong path may point at a file that is nobody's business); a UTF-16 file is named as an
 * encoding problem; a UTF-8 byte-order mark is accepted.
 */
export async function readPipelineFile(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError('CONFIG_NOT_FOUND', `cannot read pipeline file ${path}: ${code ?? (error as Error).message}`, code === 'EISDIR' ? 'Give the pipeline file, not its folder.' : 'Check the path.', error);
  }
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) throw new ConfigError(path, [{ path: '', message: parsed.problem }]);
  return parsed.value;
}
