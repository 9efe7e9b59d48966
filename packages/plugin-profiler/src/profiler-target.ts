import { measureLatency, RUN_INFO, type Kernel, type PluginMeta, type RunInfo, type WhittlePlugin } from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';

export interface ProfilerOptions {
  readonly batchSize: number;
  readonly warmup: number;
  readonly runs: number;
}

/**
 * Deploy target `tfjs-profiler`: whole-model latency on the active tfjs backend (wasm, cpu, webgpu,
 * tfjs-node): warm-up, then the median of N timed runs including read-back. Writes `latency.json`
 * and puts `latencyMs` into the report.
 *
 * ```json
 * { "hook": "deploy", "target": "tfjs-profiler", "options": { "batchSize": 1, "runs": 30 } }
 * ```
 */
@injectable()
export class TfjsProfilerTarget implements WhittlePlugin {
  static readonly meta: PluginMeta = {
    name: 'tfjs-profiler',
    hook: 'deploy',
    description: 'Measure whole-model latency on the active TensorFlow.js backend (median of N runs after warm-up).',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        batchSize: { type: 'integer', minimum: 1, default: 1 },
        warmup: { type: 'integer', minimum: 0, default: 5 },
        runs: { type: 'integer', minimum: 1, default: 20 },
      },
    },
  };

  readonly name = TfjsProfilerTarget.meta.name;

  constructor(@inject(RUN_INFO) private readonly run: RunInfo) {}

  apply(kernel: Kernel): void {
    kernel.hooks.deploy.for(this.name).tapPromise(this.name, async (result, call) => {
      const options = call.options as ProfilerOptions;
      const stats = await measureLatency(call.ctx.model, options);
      const file = await call.ctx.artifacts.writeFile('latency.json', `${JSON.stringify({ ...stats, selectedBackend: this.run.backend, adapter: call.ctx.backend.adapter ?? null }, null, 2)}\n`);
      call.ctx.logger.info(`  latency on ${stats.backend} at batch ${stats.batchSize}: median ${stats.medianMs.toFixed(2)} ms (p10 ${stats.p10Ms.toFixed(2)}, p90 ${stats.p90Ms.toFixed(2)}, ${stats.runs} runs)`);
      return {
        ...result,
        metrics: {
          ...result.metrics,
          latencyMs: stats.medianMs,
          latencyP10Ms: stats.p10Ms,
          latencyP90Ms: stats.p90Ms,
          batchSize: stats.batchSize,
          ...(stats.kernelMs === undefined ? {} : { kernelMs: stats.kernelMs }),
        },
        files: [...result.files, file],
      };
    });
  }
}
