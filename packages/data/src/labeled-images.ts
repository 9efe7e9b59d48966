/** Decoded images and integer labels as read from files, before splitting and normalisation. */
export interface LabeledImages {
  /** Pixel bytes, [n, h, w, c] row-major. */
  readonly images: Uint8Array;
  /** One class index per image. */
  readonly labels: Uint8Array;
  /** [h, w, c] of one image. */
  readonly shape: readonly [number, number, number];
  /** Where the data came from, for error messages (file names). */
  readonly source: string;
}
