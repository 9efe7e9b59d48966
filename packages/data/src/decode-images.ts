import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '@whittle/kernel';
import sharp from 'sharp';
import type { LabeledImages } from './labeled-images.js';
import type { ImageFile } from './list-image-folder.js';

/** sharp's resize modes: `fill` stretches, `cover` crops, `contain` pads, `inside`/`outside` keep the ratio. */
export type ImageFit = 'fill' | 'cover' | 'contain' | 'inside' | 'outside';

export interface DecodeTarget {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly fit: ImageFit;
}

/** Files decoded at once: sharp decodes on its own thread pool; this bounds the encoded bytes held. */
const IN_FLIGHT = 8;
/** Bad files named in one error; the rest are counted. */
const NAMED = 5;

async function decodeOne(path: string, target: DecodeTarget): Promise<Uint8Array> {
  const bytes = await readFile(path);
  const { data, info } = await sharp(bytes)
    .rotate() // apply EXIF orientation, as a viewer shows the photo
    .resize(target.width, target.height, { fit: target.fit })
    .removeAlpha()
    .toColourspace(target.channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== target.width || info.height !== target.height || info.channels !== target.channels) {
    throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${target.width}×${target.height}×${target.channels} (fit "inside"/"outside" keep the aspect ratio; use "fill", "cover" or "contain")`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Decodes and resizes `files` (paths relative to `root`) into one `LabeledImages` of
 * [n, height, width, channels] bytes, in the order given. Every file that cannot be read or decoded is
 * collected, and one input error names them (relative to `root`) with sharp's reason.
 *
 * ```ts
 * const images = await decodeImages('/data/pets', [{ path: 'cat/1.jpg', label: 0 }], { height: 64, width: 64, channels: 3, fit: 'fill' });
 * ```
 */
export async function decodeImages(root: string, files: readonly ImageFile[], target: DecodeTarget): Promise<LabeledImages> {
  const perImage = target.height * target.width * target.channels;
  const images = new Uint8Array(files.length * perImage);
  const labels = new Uint8Array(files.length);
  const bad: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      try {
        images.set(await decodeOne(join(root, file.path), target), i * perImage);
        labels[i] = file.label;
      } catch (error) {
        bad.push(`${file.path} (${(error as Error).message.split('\n')[0]})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, files.length) }, worker));
  if (bad.length > 0) {
    bad.sort();
    const more = bad.length > NAMED ? `, and ${bad.length - NAMED} more` : '';
    throw inputError(
      'DATA_FILE_INVALID',
      `image-folder: ${bad.length} file${bad.length === 1 ? '' : 's'} in ${root} cannot be read as an image: ${bad.slice(0, NAMED).join('; ')}${more}`,
      'Delete or replace the named files (or give them a non-image extension so that they are skipped); only JPEG and PNG are read.',
    );
  }
  return { images, labels, shape: [target.height, target.width, target.channels], source: root };
}
