/**
 * Sobel edge map of one grayscale image (row-major h × w, values in [0, 1]): gradient magnitude
 * √(gx² + gy²) with the 3×3 Sobel kernels and replicated borders, divided by the image's largest
 * magnitude, then thresholded (`threshold` > 0: 1 where the normalised magnitude ≥ threshold, else 0),
 * as edges2shoes' line drawings are binary. A flat image has no edges (all 0).
 *
 * ```ts
 * const edges = sobelEdges(pixels, 32, 32, 0.2);
 * ```
 */
export function sobelEdges(image: Float32Array, height: number, width: number, threshold: number): Float32Array {
  const at = (r: number, c: number): number => image[Math.min(Math.max(r, 0), height - 1) * width + Math.min(Math.max(c, 0), width - 1)] ?? 0;
  const magnitude = new Float32Array(height * width);
  let max = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const gx = at(r - 1, c + 1) + 2 * at(r, c + 1) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r, c - 1) - at(r + 1, c - 1);
      const gy = at(r + 1, c - 1) + 2 * at(r + 1, c) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r - 1, c) - at(r - 1, c + 1);
      const m = Math.sqrt(gx * gx + gy * gy);
      magnitude[r * width + c] = m;
      if (m > max) max = m;
    }
  }
  if (max === 0) return magnitude;
  for (let i = 0; i < magnitude.length; i++) {
    const v = (magnitude[i] ?? 0) / max;
    magnitude[i] = threshold > 0 ? (v >= threshold ? 1 : 0) : v;
  }
  return magnitude;
}
