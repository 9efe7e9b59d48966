/**
 * What a dataset is for, registered by a manifest's `tasks` and named by a dataset's `task`:
 * the shapes of `x` and `y` it implies, the loss training uses by default, and the metrics a run
 * measures on the evaluation split.
 *
 * - `classification`: `x` images, `y` one-hot labels [n, classes].
 * - `image-to-image`: `x` input images, `y` target images (paired).
 * - `generative`: `x` images to denoise or generate, `y` optional one-hot class conditions.
 *
 * ```ts
 * const segmentation: TaskDefinition = {
 *   name: 'segmentation', description: 'per-pixel classes', loss: 'cross-entropy', metrics: ['accuracy'],
 * };
 * ```
 */
export interface TaskDefinition {
  readonly name: string;
  readonly description: string;
  /**
   * The loss a training stage uses unless told otherwise: `cross-entropy` (y one-hot over the last
   * axis), `l1` or `mse` (y the target tensor). Undefined: training has no default for the task.
   */
  readonly loss?: 'cross-entropy' | 'l1' | 'mse';
  /** Metric providers measured on the evaluation split; the first one is what training validates on. */
  readonly metrics: readonly string[];
}

