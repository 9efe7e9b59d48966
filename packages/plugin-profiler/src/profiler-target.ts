import { definePluginMeta, RUN_INFO, StringEnum, tapStage, Type, withDefault, type Kernel, type RunInfo, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { measureLatency } from '@whittle/metrics';
import { inject, injectable } from 'tsyringe';
import { latencyTableText } from './latency/latency-table-file.js';
import { LATENCY_PREDICTOR_DEFAULTS, LatencyPredictor } from './latency/latency-predictor.js';

const defaults = LATENCY_PREDICTOR_DEFAULTS;

/** `table`: also build a per-layer latency lookup table for the model and write it as an artifact. */
export const ProfilerTableOptionsSchema = Type.Object(
  {
    out: withDefault(Type.String({ minLength: 1, description: 'Artifact file name.' }), 'latency-table.json'),
    step: withDefault(Type.Integer({ minimum: 1, description: 'Channel step g.' }), defaults.step),
    maxGridPoints: withDefault(Type.Integer({ minimum: 2, description: 'Measured cin and cout values per layer at most (the rest interpolated).' }), defaults.maxGridPoints),
    clock: withDefault(StringEnum(['wall', 'kernel']), defaults.clock),
    statistic: withDefault(StringEnum(['median', 'p10'], { description: 'Statistic of the timed runs: "p10" is steadier on a busy machine.' }), defaults.statistic),
  },
  { additionalProperties: false, description: 'Also write a per-layer latency lookup table (HALP-style LUT) for this model as an artifact.' },
);

/** The options schema of the `tfjs-profiler` deploy target. */
export const ProfilerOptionsSchema = Type.Object(
  {
    batchSize: withDefault(Type.Integer({ minimum: 1 }), 1),
    warmup: withDefault(Type.Integer({ minimum: 0 }), 5),
    runs: withDefault(Type.Integer({ minimum: 1 }), 20),
    table: Type.Optional(ProfilerTableOptionsSchema),
  },
  { additionalProperties: false },
);

export type ProfilerTableOptions = StageOptions<typeof ProfilerTableOptionsSchema>;
export type ProfilerOptions = StageOptions<typeof ProfilerOptionsSchema>;

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
  static readonly meta = definePluginMeta({
    name: 'tfjs-profiler',
    hook: 'deploy',
    description: 'Measure whole-model latency on the active TensorFlow.js backend (median of N runs after warm-up).',
    optionsSchema: ProfilerOptionsSchema,
    // The table file is written into the stage's folder of the run.
    artifactPathOptions: [['table', 'out']],
  });

  readonly name = TfjsProfilerTarget.meta.name;

  constructor(@inject(RUN_INFO) private readonly run: RunInfo) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, TfjsProfilerTarget.meta, async (result, call) => {
      const { options } = call;
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
          step: options.table.step,
          maxGridPoints: options.table.maxGridPoints,
          clock: options.table.clock,
          statistic: options.table.statistic,
          adapter: call.ctx.backend.adapter?.description ?? null,
          logger: call.ctx.logger,
        });
        files.push(await call.ctx.artifacts.writeFile(options.table.out, latencyTableText(predictor.table)));
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
