import { inputError, isWhittleError } from '@whittle/kernel';
import { atomicWriteDir, outputPathError } from '@whittle/model-io';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelFolderFiles } from './model-folder-files.js';

/**
 * Refuses, before any work, an output folder that would overwrite what the user has: a file, or a
 * folder that is not empty. A missing folder or an empty one is fine.
 */
export async function checkOutputFolder(outDir: string, inputModelJson?: string): Promise<void> {
  const info = await stat(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw outputPathError(error, outDir, 'the output folder') ?? error;
  });
  if (info === undefined) return;
  if (!info.isDirectory()) throw inputError('OUTPUT_NOT_A_FOLDER', `output ${outDir} is a file, not a folder`, 'Give --out a new folder name.');
  const entries = await readdir(outDir);
  if (entries.length > 0) {
    const holdsInput = inputModelJson !== undefined && resolve(outDir) === resolve(inputModelJson, '..');
    throw inputError(
      'OUTPUT_NOT_EMPTY',
      `output folder ${outDir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${holdsInput ? ', among them the input model' : ''}); nothing was written`,
      'Give a new or empty folder: Whittle never overwrites files it did not write.',
    );
  }
}

/**
 * Writes a model folder atomically: every file goes into a temporary sibling folder, which is renamed
 * to `outDir` once complete, so a failure leaves nothing half-written. `outDir` must be new or empty
 * (see `checkOutputFolder`).
 *
 * ```ts
 * await writeModelFolder('web/model', modelFolderFiles(json, weights));
 * ```
 */
export async function writeModelFolder(outDir: string, files: ModelFolderFiles, extra: Readonly<Record<string, string>> = {}): Promise<void> {
  await checkOutputFolder(outDir);
  try {
    await atomicWriteDir(outDir, async (tmp) => {
      for (const shard of files.shards) await writeFile(join(tmp, shard.name), shard.bytes);
      for (const [name, text] of Object.entries(extra)) await writeFile(join(tmp, name), text);
      await writeFile(join(tmp, 'model.json'), files.modelJson);
    });
  } catch (error) {
    if (isWhittleError(error)) throw error;
    throw outputPathError(error, outDir, 'the output folder') ?? error;
  }
}
