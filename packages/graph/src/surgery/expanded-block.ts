/** Name suffix of an expanded block's head: `<layer>__overparam_head`. */
export const HEAD_SUFFIX = '__overparam_head';
/** Name suffix of an expanded block's k-th mixing layer (1-based): `<layer>__overparam_mix<k>`. */
export const MIXER_SUFFIX = '__overparam_mix';

/**
 * One layer expanded into a linear chain: the head (the layer's class, E outputs), `depth` E→E
 * mixing layers and the output mixing layer, which keeps the layer's name (so consumers, and a
 * teacher's layer of that name, still find it).
 */
export interface ExpandedBlock {
  /** The original layer's name (the block's output layer has it). */
  readonly layer: string;
  /** The original layer's class (the head's class; the merged layer's). */
  readonly className: string;
  /** Every part's name, head first, output (= `layer`) last. */
  readonly parts: readonly string[];
  /** E: the head's and mixers' width. */
  readonly width: number;
}

/** The part names of a block with `depth` extra mixers. */
export function blockPartNames(layer: string, depth: number): string[] {
  return [`${layer}${HEAD_SUFFIX}`, ...Array.from({ length: depth }, (_, i) => `${layer}${MIXER_SUFFIX}${i + 1}`), layer];
}
