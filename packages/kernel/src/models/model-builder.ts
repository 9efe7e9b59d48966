import type * as tf from '@tensorflow/tfjs';

/** What a builder is told about the run: the data's shape and classes, and a seed for initialisers. */
export interface ModelBuildEnv {
  /** [h, w, c] of one input example. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Seed for weight initialisers, so a run with the same seed builds the same weights. */
  readonly seed: number;
}

/**
 * A named model architecture, selected in a pipeline's `model.builder`.
 * `optionsSchema` is the JSON Schema of `model.options`, composed into the pipeline schema.
 *
 * ```ts
 * const smallCnn: ModelBuilder<{ width: number }> = {
 *   name: 'small-cnn', description: 'three conv blocks', optionsSchema: { type: 'object' },
 *   build: (options, env) => tf.sequential({ layers: [...] }),
 * };
 * ```
 */
export interface ModelBuilder<Options = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  build(options: Options, env: ModelBuildEnv): tf.LayersModel;
}
