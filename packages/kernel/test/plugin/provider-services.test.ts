import * as tf from '@tensorflow/tfjs';
import { Type } from '@sinclair/typebox';
import { inject, injectable } from 'tsyringe';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel.js';
import { silentLogger } from '../../src/logging/logger.js';
import { definePluginManifest, definePluginMeta, type PluginManifest, type WhittlePlugin } from '../../src/plugin/plugin.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import type { Providers } from '../../src/plugin/providers.js';
import { LATENCY_MODELS, LAYER_OPERATIONS, METRICS, TASKS } from '../../src/plugin/tokens.js';
import type { LatencyModel } from '../../src/providers/latency-model.js';
import type { LayerOperationRegistration } from '../../src/providers/layer-operation-registration.js';
import type { MetricProvider } from '../../src/providers/metric-provider.js';
import type { TaskDefinition } from '../../src/providers/task.js';
import { runContainer } from '../../src/runner/run-container.js';
import { runStage } from '../../src/testing/run-stage.js';

/** A fixture latency model: 2 ms whatever the widths. */
const fixtureLatency: LatencyModel = { name: 'fixture-flat', description: '2 ms', estimate: async () => ({ predict: () => 2, figures: {}, artifacts: {} }) };
const fixtures: PluginManifest = definePluginManifest({ name: 'acme-latency', version: '1.0.0', kernel: '^0.1.0', latencyModels: [fixtureLatency] });

/** score `latency-probe`: predicts with the latency model named in its options, injected by token, and records the figure. */
@injectable()
class LatencyProbe implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'latency-probe',
    hook: 'score',
    description: 'records the named latency model\'s prediction',
    optionsSchema: Type.Object({ latencyModel: Type.String() }, { additionalProperties: false }),
  });

  readonly name = LatencyProbe.meta.name;
  constructor(@inject(LATENCY_MODELS) readonly latencyModels: Providers<LatencyModel>) {}

  apply(kernel: Kernel): void {
    kernel.hooks.score.for(this.name).tapPromise(this.name, async (scores, call) => {
      const { latencyModel } = call.options as { latencyModel: string };
      const estimate = await this.latencyModels.get(latencyModel).estimate(call.ctx.model, { batchSize: 1, step: 8, adapter: null, logger: silentLogger, timing: { warmup: 0, runs: 1, maxGridPoints: 2, clock: 'wall' } });
      call.record({ predictedMs: estimate.predict(new Map()), from: this.latencyModels.entry(latencyModel)!.from });
      return scores;
    });
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tinyModel = (): tf.LayersModel => tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });

describe('provider services by DI token', () => {
  it('a plugin that injects LATENCY_MODELS gets the fixture package\'s latency model', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    try {
      const { metrics } = await runStage(LatencyProbe, { model, options: { latencyModel: 'fixture-flat' }, manifests: [fixtures] });
      expect(metrics).toEqual({ predictedMs: 2, from: 'acme-latency' });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });

  it('an unknown name is a WhittleError naming the kind, the name, the likely typo and what is registered', async () => {
    const model = tinyModel();
    try {
      await expect(runStage(LatencyProbe, { model, options: { latencyModel: 'fixture-flta' }, manifests: [fixtures] })).rejects.toMatchObject({
        code: 'LATENCY_MODEL_UNKNOWN',
        exitCode: 2,
        message: expect.stringContaining('no loaded package provides latency model "fixture-flta" (did you mean "fixture-flat"?); registered: fixture-flat'),
      });
    } finally {
      model.dispose();
    }
  });

  it('the run container holds the registry\'s lookups under global tokens', () => {
    const metric: MetricProvider = { name: 'zero', description: '0', needsData: false, better: 'lower', measure: () => 0 };
    const task: TaskDefinition = { name: 'regression', description: 'x → y', loss: 'mse', metrics: ['zero'] };
    const layer: LayerOperationRegistration = { className: 'Dense', operation: { className: 'Dense' } };
    const registry = new PluginRegistry([fixtures, definePluginManifest({ name: 'acme-metrics', version: '1.0.0', kernel: '^0.1.0', metrics: [metric], tasks: [task], layers: [layer] })]);
    const container = runContainer(new Kernel(registry), silentLogger, { seed: 0, outDir: '/tmp/x', configDir: '/tmp', backend: 'cpu' });
    expect(container.resolve(Symbol.for('whittle.latency-models'))).toBe(registry.latencyModels);
    expect(container.resolve<Providers<MetricProvider>>(METRICS).get('zero')).toBe(metric);
    expect(container.resolve<Providers<TaskDefinition>>(TASKS).names()).toEqual(['regression']);
    expect(container.resolve<Providers<LayerOperationRegistration>>(LAYER_OPERATIONS).entries()).toEqual([{ value: layer, from: 'acme-metrics' }]);
  });

  it('get() without a close name lists what is registered, with the kind\'s fix; none registered says so', () => {
    const registry = new PluginRegistry([fixtures]);
    expect(() => registry.metrics.get('accuracy', { why: 'task "classification" measures it' })).toThrowError(expect.objectContaining({
      code: 'METRIC_MISSING',
      message: expect.stringMatching(/^no loaded package provides metric "accuracy" \(task "classification" measures it\); registered: none\n {2}fix: Load a package that provides it/),
    }));
    expect(() => registry.latencyModels.get('fpga-dsp')).toThrowError(/latency model "fpga-dsp"; registered: fixture-flat/);
    expect(() => new PluginRegistry([fixtures], { packages: 'installed' }).latencyModels.get('x', { hint: 'Install it.' })).toThrowError(/^no installed package provides latency model "x"; registered: fixture-flat\n {2}fix: Install it\.$/);
  });
});
