import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Logger } from '../logging/logger.js';
import type { WhittlePlugin } from '../plugin/plugin.js';
import type { Kernel } from '../kernel.js';
import { PluginError } from '../plugin/plugin-error.js';
import { pluginLogger } from '../plugin/plugin-logger.js';
import { LOGGER } from '../plugin/tokens.js';

/**
 * Resolves every registered plugin class from the run's DI container and lets it tap the kernel's
 * hooks. Each plugin is resolved from a child container of its own in which `LOGGER` is the run's
 * logger scoped with the plugin's name. Checks that each plugin tapped the stage hook its meta declares.
 */
export function instantiatePlugins(kernel: Kernel, container: DependencyContainer): void {
  for (const { value: PluginClass } of [...kernel.registry.observers(), ...kernel.registry.plugins()]) {
    const { name, hook } = PluginClass.meta;
    try {
      const scope = container.createChildContainer();
      if (container.isRegistered(LOGGER, true)) scope.registerInstance(LOGGER, pluginLogger(container.resolve<Logger>(LOGGER), name));
      const plugin = scope.resolve(PluginClass as unknown as InjectionToken<WhittlePlugin>);
      plugin.apply(kernel);
    } catch (error) {
      throw PluginError.wrap(name, 'apply', error);
    }
    if (hook === undefined) continue;
    const tapped = kernel.hooks[hook].get(name)?.taps.length ?? 0;
    if (tapped === 0) {
      throw PluginError.wrap(name, 'apply', new Error(`apply() did not tap kernel.hooks.${hook}.for("${name}"), which its meta declares`));
    }
  }
}
