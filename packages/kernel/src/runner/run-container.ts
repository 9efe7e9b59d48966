import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Kernel } from '../kernel.js';
import type { Logger } from '../logging/logger.js';
import { DATA_PROVIDERS, KERNEL, LATENCY_MODELS, LAYER_OPERATIONS, LOGGER, METRICS, MODEL_BUILDERS, RUN_INFO, TASKS, type RunInfo } from '../plugin/tokens.js';

/**
 * The one place a run's DI container is built (`runPipeline` and `runStage` both open their run
 * through `openRun`, which calls this): a child of tsyringe's root container holding the run's
 * services by token — the kernel, the logger (each plugin gets it scoped with its name), the run
 * info, and the registry's provider lookups (`LATENCY_MODELS`, `METRICS`, `TASKS`, `DATA_PROVIDERS`,
 * `MODEL_BUILDERS`, `LAYER_OPERATIONS`).
 *
 * ```ts
 * const container = runContainer(kernel, logger, { seed: 0, outDir, configDir, backend: 'cpu' });
 * container.resolve<Providers<LatencyModel>>(LATENCY_MODELS).get('tfjs-profiler');
 * ```
 */
export function runContainer(kernel: Kernel, logger: Logger, info: RunInfo): DependencyContainer {
  const container = rootContainer.createChildContainer();
  const { registry } = kernel;
  container.registerInstance(KERNEL, kernel);
  container.registerInstance(LOGGER, logger);
  container.registerInstance(RUN_INFO, info);
  container.registerInstance(LATENCY_MODELS, registry.latencyModels);
  container.registerInstance(METRICS, registry.metrics);
  container.registerInstance(TASKS, registry.tasks);
  container.registerInstance(DATA_PROVIDERS, registry.dataProviders);
  container.registerInstance(MODEL_BUILDERS, registry.modelBuilders);
  container.registerInstance(LAYER_OPERATIONS, registry.layers);
  return container;
}
