import { RUN_INFO, type Kernel, type PluginMeta, type RunInfo, type WhittlePlugin } from '@whittle/kernel';
import { measureLatency } from '@whittle/metrics';
import { inject, injectable } from 'tsyringe';
import { latencyTableText } from './latency/latency-table-file.js';
import { LatencyPredictor } from './latency/latency-predictor.js';

/** `table`: also build a per-layer latency lookup table for the model and write it as an artifact. */
export interface ProfilerTableOptions {
  /** Artifact file name. Default `latency-table.json`. */
  readonly out?: string;
  /** Channel step g. Default 8. */
  readonly step?: number;
  /** Measured cin and cout values per layer at most (the rest interpolated). Default 16. */
  readonly maxGridPoints?: number;
  /** Default `wall`. */
  readonly clock?: 'wall' | 'kernel';
  /** Statistic of the timed runs: `median` (default) or `p10` (steadier on a busy machine). */
  readonly statistic?: 'median' | 'p10';
}

export interface ProfilerOptions {
  readonly batchSize: number;
  readonly warmup: number;
  readonly runs: number;
  readonly table?: ProfilerTableOptions;
}

/**
 * Deploy target `tfjs-profiler`: whole-model latency on the active tfjs backend (wasm, cpu, webgpu,
 * tfjs-node): warm-up, then the median of N timed runs including read-back. Writes `latency.json`
 * and puts `latencyMs` into the report.
 *
 * With `table`, it also measures a per-layer latency lookup table for the model (see
 * `LatencyPredictor`) and writes it as `table.out`, ready for `whittle profile --table` or a
 * latency-aware pruner.
 *
 * ```json
 * { "hook": "deploy", "target": "tfjs-profiler", "options": { "batchSize": 1, "runs": 30, "table": { "out": "latency-table.json", "step": 8 } } }
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
        table: {
          type: 'object',
          additionalProperties: false,
          description: 'Also write a per-layer latency lookup table (HALP-style LUT) for this model as an artifact.',
          properties: {
            out: { type: 'string', minLength: 1, default: 'latency-table.json' },
            step: { type: 'integer', minimum: 1, default: 8 },
            maxGridPoints: { type: 'integer', minimum: 2, default: 16 },
            clock: { enum: ['wall', 'kernel'], default: 'wall' },
            statistic: { enum: ['median', 'p10'], default: 'median' },
          },
        },
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
      const files = [file];
      const tableMetrics: Record<string, number> = {};
      if (options.table !== undefined) {
        const predictor = await LatencyPredictor.build(call.ctx.model, {
          batchSize: options.batchSize,
          warmup: options.warmup,
          runs: options.runs,
          step: options.table.step ?? 8,
          maxGridPoints: options.table.maxGridPoints ?? 16,
          clock: options.table.clock ?? 'wall',
          statistic: options.table.statistic ?? 'median',
          adapter: call.ctx.backend.adapter?.description ?? null,
          logger: call.ctx.logger,
        });
        files.push(await call.ctx.artifacts.writeFile(options.table.out ?? 'latency-table.json', latencyTableText(predictor.table)));
        tableMetrics['latencyTableEntries'] = predictor.table.size;
        tableMetrics['latencyTableConstantMs'] = predictor.constantMs;
        tableMetrics['latencyTableScale'] = predictor.scale;
        call.ctx.logger.info(`  latency table: ${predictor.table.size} layer signatures (${predictor.buildStats.sites} layer calls); model ≈ ${predictor.scale.toFixed(3)} × Σ table + ${predictor.constantMs.toFixed(2)} ms`);
      }
      return {
        ...result,
        metrics: {
          ...result.metrics,
          latencyMs: stats.medianMs,
          latencyP10Ms: stats.p10Ms,
          latencyP90Ms: stats.p90Ms,
          batchSize: stats.batchSize,
          ...(stats.kernelMs === undefined ? {} : { kernelMs: stats.kernelMs }),
          ...tableMetrics,
        },
        files: [...result.files, ...files],
      };
    });
  }
}
