import { statSync } from 'node:fs';

/**
 * What keeps `path` from being used as a `kind` ("file" or "folder"), or `undefined` when it can be:
 * it does not exist, is the other kind, or cannot be looked at. For checks made before a run starts.
 *
 * ```ts
 * pathProblem('/no/such/model.json', 'file'); // '/no/such/model.json does not exist'
 * ```
 */
export function pathProblem(path: string, kind: 'file' | 'folder'): string | undefined {
  try {
    const stat = statSync(path);
    if (kind === 'file' && stat.isDirectory()) return `${path} is a folder, not a file`;
    if (kind === 'folder' && !stat.isDirectory()) return `${path} is not a folder`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${path} does not exist`;
    if (code === 'ENOTDIR') return `${path} does not exist (a part of it is a file, not a folder)`;
    return `${path} cannot be read (${code ?? (error as Error).message})`;
  }
}
