import { createKernelHooks, type KernelHooks } from './hooks/kernel-hooks.js';
import type { PluginRegistry } from './plugin/plugin-registry.js';
import { KERNEL_VERSION } from './version.js';

/**
 * What `apply(kernel)` receives: the run's hooks and the registry of what the loaded packages provide.
 * One kernel per run.
 *
 * ```ts
 * apply(kernel: Kernel) {
 *   kernel.hooks.afterStage.tapPromise('my-reporter', async (record) => console.log(record.label, record.durationMs));
 * }
 * ```
 */
export class Kernel {
  readonly version = KERNEL_VERSION;
  readonly hooks: KernelHooks = createKernelHooks();

  constructor(readonly registry: PluginRegistry) {}
}
