import type * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import type { ModelSource } from '../config/pipeline-config.js';
import type { DatasetSplits } from '../data/dataset.js';
import { loadModel } from '@whittle/model-io';
import type { ModelBuildEnv } from '../models/model-builder.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';

/** Without data, builders are told CIFAR-10's shape. */
const DEFAULT_BUILD_ENV = { inputShape: [32, 32, 3], numClasses: 10 } as const;

/**
 * Loads `{ path }` (relative to the config folder; `modelJson`: that file, when the checks read it
 * already) or builds `{ builder, options }` for the run's data.
 */
export async function loadModelSource(source: ModelSource, env: { configDir: string; registry: PluginRegistry; data: DatasetSplits | undefined; seed: number; modelJson?: tf.io.ModelJSON | undefined }): Promise<tf.LayersModel> {
  if ('path' in source) return loadModel(resolve(env.configDir, source.path), env.modelJson);
  const builder = env.registry.modelBuilders.get(source.builder);
  const buildEnv: ModelBuildEnv = {
    inputShape: env.data?.inputShape ?? DEFAULT_BUILD_ENV.inputShape,
    numClasses: env.data?.numClasses ?? DEFAULT_BUILD_ENV.numClasses,
    seed: env.seed,
  };
  return builder.build((source.options ?? {}) as never, buildEnv);
}
