import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inputError, saysItsKind, type KindedError } from './model-io-error.js';

/** What each file-system error code that the user's path causes means, in words. */
const PATH_ERRORS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EEXIST: 'something else already exists there',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * A file-system error caused by the path the user chose (a folder where a file should go, no write
 * permission, …) as an input error naming the path (exit 2); `undefined` for any other error.
 *
 * ```ts
 * await writeFile(out, text).catch((e) => { throw outputPathError(e, out, 'the schema file') ?? e; });
 * ```
 */
export function outputPathError(error: unknown, path: string, what = 'output'): KindedError | undefined {
  if (saysItsKind(error)) return error;
  const code = (error as Partial<NodeJS.ErrnoException> | undefined)?.code;
  const reason = code === undefined ? undefined : PATH_ERRORS[code];
  if (reason === undefined) return undefined;
  return inputError(`OUTPUT_${code!}`, `cannot write ${what} at ${path}: ${reason} (${code!})`, 'Choose a path you can write, e.g. a new file in a folder you own.', error);
}

/**
 * Checks, before any work is done, that `path` can be written as a file: it is not a folder and no
 * part of its folder is a file. Throws `outputPathError`'s input error otherwise.
 *
 * ```ts
 * await checkOutputFilePath('latency-table.json'); // then measure for minutes, then write it
 * ```
 */
export async function checkOutputFilePath(path: string, what = 'output'): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw outputPathError(error, path, what) ?? error;
  });
  if (info?.isDirectory() === true) throw outputPathError(Object.assign(new Error('is a folder'), { code: 'EISDIR' }), path, what)!;
  if (info === undefined) {
    // The nearest existing ancestor must be a folder.
    let dir = dirname(path);
    for (;;) {
      const parent = await stat(dir).catch(() => undefined);
      if (parent !== undefined) {
        if (!parent.isDirectory()) throw outputPathError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), path, what)!;
        break;
      }
      if (dirname(dir) === dir) break;
      dir = dirname(dir);
    }
  }
}

/** A sibling path that no one else will pick: `.name.tmp-<random>` in the same folder (so rename is atomic). */
function tempSiblingPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
}

/**
 * Writes a file atomically: the bytes go to a temporary sibling, which is renamed over `path`
 * only once complete. A crash or an error leaves either the old file or nothing, never half a file.
 * A path the user cannot write (a folder, no permission) is an input error naming it (exit 2).
 *
 * ```ts
 * await atomicWriteFile('out/report.json', JSON.stringify(report, null, 2));
 * ```
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw outputPathError(error, path) ?? error;
  }
  const tmp = tempSiblingPath(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw outputPathError(error, path) ?? error;
  }
}

/**
 * Fills a folder atomically: `fill` writes into a temporary sibling folder, which then replaces `dir`
 * (any previous `dir` is removed only after the new one is complete).
 *
 * ```ts
 * await atomicWriteDir('out/model', async (tmp) => { await writeFile(join(tmp, 'model.json'), json); });
 * ```
 */
export async function atomicWriteDir(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const tmp = tempSiblingPath(dir);
  const old = tempSiblingPath(dir);
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    const hadOld = await rename(dir, old).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    await rename(tmp, dir);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
