import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { inputError } from '@whittle/kernel';

/** Extensions read as images (case-insensitive); other files are skipped, as torchvision's `ImageFolder` does. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png'];

/** Labels are stored as bytes. */
const MAX_CLASSES = 256;

export interface ImageFile {
  /** Relative to the folder's root, `/`-separated: how errors name the file. */
  readonly path: string;
  readonly label: number;
}

export interface ImageFolderListing {
  /** Sub-folder names, sorted: label i is `classes[i]`. */
  readonly classes: readonly string[];
  /** Every image, by class then path. */
  readonly files: readonly ImageFile[];
}

const hidden = (name: string): boolean => name.startsWith('.');

async function imagesUnder(dir: string, root: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (hidden(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await imagesUnder(path, root)));
    else if (IMAGE_EXTENSIONS.includes(extname(entry.name).toLowerCase())) found.push(relative(root, path).split('\\').join('/'));
  }
  return found;
}

/**
 * The classes and image files of an `ImageFolder`-style folder: each non-hidden sub-folder of `root`
 * is a class (sorted by name), and every `.jpg`/`.jpeg`/`.png` file below it (at any depth) is one of
 * its images. Files directly in `root`, hidden files and other extensions are ignored.
 *
 * ```ts
 * const { classes, files } = await listImageFolder('/data/flowers'); // classes: ['daisy', 'rose', …]
 * ```
 */
export async function listImageFolder(root: string): Promise<ImageFolderListing> {
  const info = await stat(root).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw inputError('DATA_FILE_MISSING', `image-folder: ${root} ${info === undefined ? 'does not exist' : 'is not a folder'}`, 'Set data.options.root to a folder with one sub-folder of images per class (relative to the pipeline file).');
  }
  const classes = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !hidden(e.name)).map((e) => e.name).sort();
  if (classes.length < 2) {
    throw inputError('DATA_FILE_INVALID', `image-folder: ${root} has ${classes.length === 0 ? 'no class sub-folders' : `one class sub-folder (${classes[0]})`}; classification needs at least 2`, 'Put the images of each class in a sub-folder named after the class: root/cat/1.jpg, root/dog/2.png.');
  }
  if (classes.length > MAX_CLASSES) {
    throw inputError('DATA_FILE_INVALID', `image-folder: ${root} has ${classes.length} class sub-folders, at most ${MAX_CLASSES} are supported`, 'Merge classes, or point data.options.root at a smaller folder.');
  }
  const files: ImageFile[] = [];
  for (const [label, name] of classes.entries()) {
    const images = await imagesUnder(join(root, name), root);
    if (images.length === 0) {
      throw inputError('DATA_FILE_INVALID', `image-folder: class folder ${name}/ holds no ${IMAGE_EXTENSIONS.join('/')} files`, 'Add images to it, or remove the folder.');
    }
    files.push(...images.map((path) => ({ path, label })));
  }
  return { classes, files };
}
