import { isAbsolute, join, normalize, sep } from 'node:path';

/** Whether a relative `path` leaves `folder`: it is absolute, or climbs out of it once normalised (the artifact store's rule). */
export function leavesFolder(folder: string, path: string): boolean {
  return isAbsolute(path) || !normalize(join(folder, path)).startsWith(folder + sep);
}
