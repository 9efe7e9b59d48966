import 'reflect-metadata';
import { Type } from '@sinclair/typebox';
import { container, inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel.js';
import { plainLogger, type Logger } from '../../src/logging/logger.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import { LOGGER, RUN_INFO, type RunInfo } from '../../src/plugin/tokens.js';
import { instantiatePlugins } from '../../src/runner/instantiate-plugins.js';
import toyManifest, { JitterPlugin } from '../fixtures/toy-plugins.js';
import { definePluginManifest, type PluginMeta, type WhittlePlugin } from '../../src/plugin/plugin.js';

/** An observer that logs through its injected logger when applied. */
@injectable()
class Greeter implements WhittlePlugin {
  static readonly meta: PluginMeta = { name: 'greeter', description: 'logs when applied', optionsSchema: Type.Object({}) };
  readonly name = 'greeter';
  constructor(@inject(LOGGER) private readonly logger: Logger) {}
  apply(): void {
    this.logger.info('  applied');
    this.logger.warn('careful');
    this.logger.progress('step', 1).done();
  }
}

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

  it('gives each plugin the run\'s logger scoped with its name', () => {
    const kernel = new Kernel(new PluginRegistry([toyManifest, definePluginManifest({ name: 'greeter-package', version: '1.0.0', kernel: '^0.1.0', plugins: [Greeter] })]));
    const lines: string[] = [];
    const logger = plainLogger((line) => lines.push(line));
    const child = container.createChildContainer();
    child.registerInstance(LOGGER, logger);
    child.registerInstance(RUN_INFO, { seed: 1, outDir: '/tmp/x', configDir: '/tmp', backend: 'cpu' } satisfies RunInfo);
    instantiatePlugins(kernel, child);
    expect(lines[0]).toBe('  [greeter] applied');
    expect(lines[1]).toBe('warning: [greeter] careful');
    expect(lines[2]).toMatch(/^\[greeter\] step: done in/);
    // The run's container still holds the unscoped logger: scoping is per plugin.
    expect(child.resolve(LOGGER)).toBe(logger);
  });

  it('names the plugin when a service is missing', () => {
    const kernel = new Kernel(new PluginRegistry([toyManifest]));
    expect(() => instantiatePlugins(kernel, container.createChildContainer())).toThrow(/\[plugin jitter, hook apply\].*Cannot inject the dependency/s);
  });
});
