import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../errors/whittle-error.js';
import { outputPathError } from '@whittle/model-io';

/** The lock file a run holds in its output folder while it runs. */
export const LOCK_FILE = '.whittle.lock';

interface LockContent {
  readonly pid: number;
  readonly startedAt: string;
}

/** Whether a process with this id exists (EPERM: it does, owned by someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0 ? { pid: value.pid, startedAt: String(value.startedAt) } : undefined;
  } catch {
    return undefined;
  }
}

function lockedError(outDir: string, holder: LockContent): Error {
  return inputError(
    'OUT_DIR_LOCKED',
    `output folder ${outDir} is in use by another run (process ${holder.pid}, started ${holder.startedAt}; lock ${join(outDir, LOCK_FILE)})`,
    `Wait for it to finish, stop process ${holder.pid}, or choose another --out folder.`,
  );
}

/**
 * The live run holding `outDir`'s lock, if any: read-only, so a caller can refuse before it touches
 * anything. A lock whose process is gone (or that cannot be parsed) counts as free.
 */
async function liveLockHolder(outDir: string): Promise<LockContent | undefined> {
  const text = await readFile(join(outDir, LOCK_FILE), 'utf8').catch(() => undefined);
  const holder = text === undefined ? undefined : parseLock(text);
  return holder !== undefined && isAlive(holder.pid) ? holder : undefined;
}

/** A held lock; `release` removes the file (also callable from a signal handler: it is synchronous). */
export interface OutDirLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes `outDir`'s lock (creating the folder): the file is created exclusively (`wx`) and holds this
 * process's id. A second run into the same folder refuses with `OUT_DIR_LOCKED` naming the holder's
 * pid; a stale lock (its process is gone) is taken over.
 *
 * ```ts
 * const lock = await acquireOutDirLock('runs/quickstart');
 * try { ... } finally { lock.release(); }
 * ```
 */
export async function acquireOutDirLock(outDir: string): Promise<OutDirLock> {
  const file = join(outDir, LOCK_FILE);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw outputPathError(error, outDir, 'the output folder') ?? error;
  }
  const content = `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies LockContent)}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, content, { flag: 'wx' });
      let released = false;
      return {
        file,
        release: () => {
          if (released) return;
          released = true;
          // Only our own lock: never remove one a later run took over.
          const now = (() => {
            try {
              return parseLock(readFileSync(file, 'utf8'));
            } catch {
              return undefined;
            }
          })();
          if (now?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputPathError(error, outDir, 'the output folder') ?? error;
      const holder = await liveLockHolder(outDir);
      if (holder !== undefined) throw lockedError(outDir, holder);
      // Stale: its process is gone. Take it over (once; a racing run that wins makes us refuse).
      await rm(file, { force: true });
    }
  }
  const holder = await liveLockHolder(outDir);
  throw lockedError(outDir, holder ?? { pid: 0, startedAt: 'unknown' });
}

/** Refuses (read-only) when a live run holds `outDir`'s lock. */
export async function refuseLockedOutDir(outDir: string): Promise<void> {
  const holder = await liveLockHolder(outDir);
  if (holder !== undefined) throw lockedError(outDir, holder);
}
