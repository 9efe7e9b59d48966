import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import sharp from 'sharp';

/** Options of `classGridPng`. */
export interface ClassGridOptions {
  /** Pixels per image pixel (nearest neighbour). Default 3. */
  readonly scale?: number;
  /** White pixels between images; panels are separated by 4× as much. Default 2. */
  readonly gap?: number;
}

/**
 * A PNG of side-by-side panels of class-major samples (each panel [classes·perClass, h, w, 1 or 3],
 * pixels in [0, 1], as `sampleClasses` returns them): one row per class, panel after panel (e.g.
 * teacher | slim, drawn from the same x_T so column i of both panels started from the same noise).
 * Encoded with sharp.
 *
 * ```ts
 * const png = await classGridPng([teacherSamples, slimSamples], 10);
 * ```
 */
export async function classGridPng(panels: readonly tf.Tensor4D[], classes: number, options: ClassGridOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 3;
  const gap = options.gap ?? 2;
  const first = panels[0];
  if (first === undefined) throw inputError('GRID_EMPTY', 'classGridPng: no panels', 'Pass at least one batch of samples.');
  const [n, h, w] = first.shape;
  if (!Number.isInteger(classes) || classes < 1 || n % classes !== 0) throw inputError('GRID_SHAPE_MISMATCH', `classGridPng: ${n} samples are not ${classes} rows`, 'Pass classes · perClass samples per panel.');
  for (const panel of panels) {
    if (panel.shape[0] !== n || panel.shape[1] !== h || panel.shape[2] !== w || (panel.shape[3] !== 1 && panel.shape[3] !== 3)) {
      throw inputError('GRID_SHAPE_MISMATCH', `classGridPng: panels must share one shape [${n}, ${h}, ${w}, 1 or 3], got ${JSON.stringify(panel.shape)}`, 'Sample every panel with the same options.');
    }
  }
  const perClass = n / classes;
  const cellW = w * scale;
  const cellH = h * scale;
  const panelW = perClass * cellW + (perClass - 1) * gap;
  const panelGap = 4 * gap;
  const width = panels.length * panelW + (panels.length - 1) * panelGap + 2 * gap;
  const height = classes * cellH + (classes + 1) * gap;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  panels.forEach((panel, p) => {
    const rgb = tf.tidy(() => (panel.shape[3] === 1 ? tf.tile(panel, [1, 1, 1, 3]) : panel).clipByValue(0, 1).mul(255).round());
    const values = rgb.dataSync();
    rgb.dispose();
    for (let i = 0; i < n; i++) {
      const row = Math.floor(i / perClass);
      const col = i % perClass;
      const left = gap + p * (panelW + panelGap) + col * (cellW + gap);
      const top = gap + row * (cellH + gap);
      for (let y = 0; y < cellH; y++) {
        for (let x = 0; x < cellW; x++) {
          const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * 3;
          const dst = ((top + y) * width + left + x) * 3;
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
