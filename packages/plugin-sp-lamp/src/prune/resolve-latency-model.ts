import { closest, inputError, type LatencyModel, type PluginRegistry } from '@whittle/kernel';

/**
 * The latency model registered under `name`, or an input error naming the ones that are.
 *
 * ```ts
 * const model = resolveLatencyModel(kernel.registry, 'tfjs-profiler');
 * ```
 */
export function resolveLatencyModel(registry: PluginRegistry, name: string): LatencyModel {
  const found = registry.latencyModel(name);
  if (found !== undefined) return found.value;
  const names = registry.latencyModelNames();
  const near = closest(name, names);
  throw inputError('LATENCY_MODEL_UNKNOWN',
    `no loaded package provides latency model "${name}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; registered: ${names.join(', ') || 'none'}`,
    name === 'tfjs-profiler' ? 'Add "@whittle/plugin-profiler" to the pipeline\'s "plugins".' : 'Add the package that registers it to the pipeline\'s "plugins", or name a registered one in "latencyModel".');
}
