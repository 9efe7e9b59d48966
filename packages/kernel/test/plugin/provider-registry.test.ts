import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPluginManifests } from '../../src/plugin/load-plugins.js';
import { definePluginManifest, type PluginManifest } from '../../src/plugin/plugin.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import type { LatencyModel } from '../../src/providers/latency-model.js';
import type { MetricProvider } from '../../src/providers/metric-provider.js';
import { TempPipeline } from '../fixtures/temp-pipeline.js';

const latency: LatencyModel = { name: 'flat', description: '1 ms', estimate: async () => ({ predict: () => 1, figures: {}, artifacts: {} }) };
const metric: MetricProvider = { name: 'zero', description: '0', needsData: false, better: 'lower', measure: () => 0 };
const task = { name: 'regression', description: 'x → y', loss: 'mse' as const, metrics: ['zero'] };
const manifest = (name: string, provides: Partial<PluginManifest>): PluginManifest => definePluginManifest({ name, version: '1.0.0', kernel: '^0.1.0', ...provides });

let t: TempPipeline;
beforeEach(() => (t = new TempPipeline()));
afterEach(() => t.cleanup());

describe('the registry of latency models, metrics and tasks', () => {
  it('finds each by name, with the package that registered it', () => {
    const registry = new PluginRegistry([manifest('a', { latencyModels: [latency], metrics: [metric], tasks: [task] })]);
    expect(registry.latencyModels.entry('flat')).toEqual({ value: latency, from: 'a' });
    expect(registry.metrics.get('zero')).toBe(metric);
    expect(registry.tasks.get('regression')).toBe(task);
    expect([registry.latencyModels.names(), registry.metrics.names(), registry.tasks.names()]).toEqual([['flat'], ['zero'], ['regression']]);
    expect(registry.latencyModels.entry('nope')).toBeUndefined();
    expect(registry.latencyModels.has('nope')).toBe(false);
  });

  it.each([
    ['latency model "flat"', { latencyModels: [latency] }],
    ['metric "zero"', { metrics: [metric] }],
    ['task "regression"', { tasks: [task] }],
  ])('refuses two packages registering one %s, naming both', (what, provides) => {
    expect(() => new PluginRegistry([manifest('first', provides), manifest('second', provides)]))
      .toThrowError(expect.objectContaining({ code: 'PLUGIN_CONFLICT', message: expect.stringContaining(`${what} is registered by both "first" and "second"`) }));
  });

  it('refuses a manifest whose latency model, metric or task is malformed', async () => {
    mkdirSync(join(t.dir, 'p'));
    const cases: [string, string][] = [
      ['latencyModels: [{ name: "x" }]', 'latencyModels[0] is not a latency model'],
      ['metrics: [{ name: "m", measure() {} }]', 'metrics[0] is not a metric provider'],
      ['tasks: [{ name: "t" }]', 'tasks[0] is not a task'],
      ['tasks: {}', '"tasks" is not an array'],
    ];
    for (const [i, [provides, message]] of cases.entries()) {
      writeFileSync(join(t.dir, 'p', `bad-${i}.mjs`), `export default { name: "bad", version: "1.0.0", kernel: "^0.1.0", ${provides} };`);
      await expect(loadPluginManifests([`./p/bad-${i}.mjs`], t.dir)).rejects.toMatchObject({ code: 'PLUGIN_INVALID', message: expect.stringContaining(message) });
    }
  });
});
