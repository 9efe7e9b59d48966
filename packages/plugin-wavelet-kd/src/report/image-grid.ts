import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import sharp from 'sharp';

/** Options of `imageGridPng`. */
export interface ImageGridOptions {
  /** Each pixel becomes a `scale` × `scale` block (nearest neighbour), so 32×32 images stay legible. Default 3. */
  readonly scale?: number;
  /** Pixels of white between images. Default 2. */
  readonly gap?: number;
}

/**
 * A PNG of image rows (each row a batch [k, h, w, c], c = 1 or 3, pixels in [0, 1]; every row the same
 * shape): row r, column i is image i of row r. Encoded by sharp (libvips). For the WKD report the rows are
 * input, target, teacher, then each student.
 *
 * ```ts
 * const png = await imageGridPng([inputs, targets, teacherOut, studentOut]);
 * await call.ctx.artifacts.writeFile('grid.png', png);
 * ```
 */
export async function imageGridPng(rows: readonly tf.Tensor4D[], options: ImageGridOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 3;
  const gap = options.gap ?? 2;
  const first = rows[0];
  if (first === undefined) throw inputError('GRID_EMPTY', 'imageGridPng: no rows', 'Pass at least one batch of images.');
  const [k, h, w] = first.shape;
  for (const row of rows) {
    if (row.shape[0] !== k || row.shape[1] !== h || row.shape[2] !== w || (row.shape[3] !== 1 && row.shape[3] !== 3)) {
      throw inputError('GRID_SHAPE_MISMATCH', `imageGridPng: rows must share one shape [${k}, ${h}, ${w}, 1 or 3], got ${JSON.stringify(row.shape)}`, 'Slice every row to the same examples.');
    }
  }
  const cellW = w * scale;
  const cellH = h * scale;
  const width = k * cellW + (k + 1) * gap;
  const height = rows.length * cellH + (rows.length + 1) * gap;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((row, r) => {
    const rgb = tf.tidy(() => (row.shape[3] === 1 ? tf.tile(row, [1, 1, 1, 3]) : row).clipByValue(0, 1).mul(255).round());
    const values = rgb.dataSync();
    rgb.dispose();
    for (let i = 0; i < k; i++) {
      for (let y = 0; y < cellH; y++) {
        for (let x = 0; x < cellW; x++) {
          const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * 3;
          const dst = (((r * cellH + (r + 1) * gap) + y) * width + i * cellW + (i + 1) * gap + x) * 3;
          pixels[dst] = values[src] ?? 0;
          pixels[dst + 1] = values[src + 1] ?? 0;
          pixels[dst + 2] = values[src + 2] ?? 0;
        }
      }
    }
  });
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
