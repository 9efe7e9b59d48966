import 'reflect-metadata';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel.js';
import { plainLogger } from '../../src/logging/logger.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import { LOGGER, RUN_INFO, type RunInfo } from '../../src/plugin/tokens.js';
import { instantiatePlugins } from '../../src/runner/instantiate-plugins.js';
import toyManifest, { JitterPlugin } from '../fixtures/toy-plugins.js';

describe('dependency injection', () => {
  it('keeps decorator metadata under the test transform (a lost transform would fail here first)', () => {
    // SWC emits design:paramtypes; esbuild-based runners would not. Tokens make injection independent of it,
    // but the metadata's presence proves the test runner is the one the suite is configured for.
    expect(Reflect.getMetadata('design:paramtypes', JitterPlugin)).toHaveLength(2);
  });

  it('injects services by explicit token into a child container per run', () => {
    const kernel = new Kernel(new PluginRegistry([toyManifest]));
    const child = container.createChildContainer();
    const logger = plainLogger(() => undefined);
    const info: RunInfo = { seed: 1, outDir: '/tmp/x', configDir: '/tmp', backend: 'cpu' };
    child.registerInstance(LOGGER, logger);
    child.registerInstance(RUN_INFO, info);
    const plugin = child.resolve(JitterPlugin);
    expect(plugin.logger).toBe(logger);
    expect(plugin.run).toBe(info);
    // The root container knows nothing of the run.
    expect(container.isRegistered(LOGGER)).toBe(false);
    instantiatePlugins(kernel, child);
    expect(kernel.hooks.recover.get('jitter')?.taps.map((tap) => tap.name)).toEqual(['jitter']);
  });

  it('names the plugin when a service is missing', () => {
    const kernel = new Kernel(new PluginRegistry([toyManifest]));
    expect(() => instantiatePlugins(kernel, container.createChildContainer())).toThrow(/\[plugin jitter, hook apply\].*Cannot inject the dependency/s);
  });
});
