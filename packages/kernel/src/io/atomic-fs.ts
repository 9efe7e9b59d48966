import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A sibling path that no one else will pick: `.name.tmp-<random>` in the same folder (so rename is atomic). */
export function tempSiblingPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
}

/**
 * Writes a file atomically: the bytes go to a temporary sibling, which is renamed over `path`
 * only once complete. A crash or an error leaves either the old file or nothing, never half a file.
 *
 * ```ts
 * await atomicWriteFile('out/report.json', JSON.stringify(report, null, 2));
 * ```
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempSiblingPath(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
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
