import type * as tf from '@tensorflow/tfjs';
import type { OptionsSchema, StageOptions } from '../plugin/options-schema.js';

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
  readonly optionsSchema: OptionsSchema;
  build(options: Options, env: ModelBuildEnv): tf.LayersModel;
}

/**
 * A model builder whose `build` receives options typed by its schema (defaults filled in), like
 * `tapStage` for stage plugins.
 *
 * ```ts
 * export const tinyMlp = defineModelBuilder({
 *   name: 'tiny-mlp', description: 'one hidden layer',
 *   optionsSchema: Type.Object({ hidden: withDefault(Type.Integer({ minimum: 1 }), 8) }, { additionalProperties: false }),
 *   build: (options, env) => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [...env.inputShape] }), tf.layers.dense({ units: options.hidden })] }),
 * });
 * ```
 */
export function defineModelBuilder<Schema extends OptionsSchema>(builder: { readonly name: string; readonly description: string; readonly optionsSchema: Schema; build(options: StageOptions<Schema>, env: ModelBuildEnv): tf.LayersModel }): ModelBuilder<StageOptions<Schema>> {
  return builder;
}
