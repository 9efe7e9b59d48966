import { readFile } from 'node:fs/promises';
import { inputError } from '@whittle/kernel';

/**
 * Reads a dataset file; a missing or unreadable file is an input error naming the file and what it is for.
 *
 * ```ts
 * const bytes = await readDataFile('/data/mnist/train-labels-idx1-ubyte.gz', 'idx: trainLabels');
 * ```
 */
export async function readDataFile(path: string, purpose: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError(
      'DATA_FILE_MISSING',
      `${purpose}: ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`}`,
      'Check the path in the data options; relative paths are resolved from the pipeline file\'s folder.',
      error,
    );
  }
}
