import 'reflect-metadata';
import type * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { selectBackend, type BackendChoice, type BackendPreference } from '../backend/index.js';
import { checkPipelineInputs } from '../config/check-pipeline-inputs.js';
import { loadPipeline, type LoadedPipeline, type LoadPipelineOverrides, type PipelineSource } from '../config/load-pipeline.js';
import { stagePluginName, type PipelineConfig } from '../config/pipeline-config.js';
import { modelInputShape } from '../data/model-input-shape.js';
import { inputError } from '../errors/whittle-error.js';
import { atomicWriteFile } from '../io/atomic-fs.js';
import { saveModel } from '../io/index.js';
import { Kernel } from '../kernel.js';
import { plainLogger, type Logger } from '../logging/logger.js';
import { PluginError } from '../plugin/plugin-error.js';
import { SeededRng } from '../random/seeded-rng.js';
import { KERNEL_VERSION } from '../version.js';
import { StageArtifactStore } from './artifact-store.js';
import { checkpointScores, loadCheckpointModel, readCheckpoint, writeCheckpoint, type CheckpointState } from './checkpoint.js';
import { loadModelSource } from './load-model-source.js';
import { checkSummaryProviders, formatSummaryMetrics, summarizeModel } from './model-summary.js';
import { MutableRunContext } from './run-context.js';
import type { ModelSummary, RunReport, StageRecord } from './run-report.js';
import { applyRunPlugins, createStageCall, invokeStageHook } from './stage-call.js';
import { stageFolder } from './stage-folder.js';
import type { StageInfo } from './stage-types.js';

/**
 * `defaultManifests` (from `LoadPipelineOverrides`): manifests every pipeline gets without naming them,
 * e.g. `@whittle/data`'s providers and `@whittle/metrics`' metrics and tasks (the kernel imports
 * neither; the whittle CLI passes them).
 */
export interface RunPipelineOptions extends LoadPipelineOverrides {
  /** Output folder; default `runs/<pipeline name>` under the current folder. */
  readonly outDir?: string;
  /** Overrides the pipeline's `backend`. */
  readonly backend?: BackendPreference;
  /** Continue after the last completed stage of the run in `outDir`. */
  readonly resume?: boolean;
  /** Overrides the pipeline's `seed`. */
  readonly seed?: number;
  readonly logger?: Logger;
}

export const REPORT_FILE = 'report.json';

/**
 * Runs a pipeline file: validates it and loads its plugins (nothing is written if that fails), picks
 * the backend, then runs the stages in order. After every stage it writes a checkpoint and rewrites
 * `report.json` atomically; `resume: true` continues after the last completed stage and gives the
 * same final result as an uninterrupted run. Plugin errors are rethrown as `PluginError`s naming the
 * plugin and hook.
 *
 * ```ts
 * const report = await runPipeline('examples/quickstart/pipeline.json', { outDir: 'runs/quickstart' });
 * console.log(report.stages.at(-1)?.model?.metrics['accuracy']);
 * ```
 */
export async function runPipeline(source: PipelineSource, options: RunPipelineOptions = {}): Promise<RunReport> {
  const logger = options.logger ?? plainLogger();
  const pipeline = await loadPipeline(source, options);
  await checkPipelineInputs(pipeline);
  const { config } = pipeline;
  checkSummaryProviders(config, pipeline.registry);
  const outDir = resolve(options.outDir ?? join('runs', config.name));
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  const previous = options.resume === true ? await readResumableReport(outDir, configHash) : await prepareFreshOutDir(outDir);

  const backend = await selectBackend(options.backend ?? config.backend);
  logger.info(backend.summary);

  const runner = new PipelineRun(pipeline, outDir, configHash, backend, logger);
  return runner.run(previous);
}

class PipelineRun {
  private readonly kernel: Kernel;
  private report: RunReport;

  constructor(
    private readonly pipeline: LoadedPipeline,
    private readonly outDir: string,
    configHash: string,
    private readonly backend: BackendChoice,
    private readonly logger: Logger,
  ) {
    this.kernel = new Kernel(pipeline.registry);
    this.report = {
      whittle: KERNEL_VERSION,
      pipeline: pipeline.file,
      configHash,
      seed: pipeline.config.seed,
      backend: backend.name,
      startedAt: new Date().toISOString(),
      status: 'running',
      stages: [],
    };
  }

  private get config(): PipelineConfig {
    return this.pipeline.config;
  }

  async run(previous: RunReport | undefined): Promise<RunReport> {
    const { config, configDir, registry } = this.pipeline;
    applyRunPlugins(this.kernel, this.logger, { seed: config.seed, outDir: this.outDir, configDir, backend: this.backend.name });

    const completed = previous?.stages.filter((s) => s.status === 'completed') ?? [];
    const data = config.data === undefined ? undefined : await this.loadData();
    let ctx: MutableRunContext | undefined;
    try {
      let model: tf.LayersModel;
      let checkpoint: CheckpointState | undefined;
      const last = completed.at(-1);
      if (last !== undefined) {
        checkpoint = await readCheckpoint(this.outDir, stageFolder(last));
        model = await loadCheckpointModel(this.outDir, checkpoint);
        this.report = { ...previous!, status: 'running', stages: completed };
        this.logger.info(`resuming after stage ${last.index} (${last.label})`);
      } else {
        model = await loadModelSource(config.model, { configDir, registry, data, seed: config.seed });
      }
      ctx = new MutableRunContext(
        { model, artifacts: new StageArtifactStore(this.outDir, 'stages/initial') },
        data,
        config.seed,
        this.backend,
        this.logger,
        configDir,
        () => this.loadTeacher(data),
      );
      if (checkpoint !== undefined) {
        ctx.scores = checkpointScores(checkpoint);
        for (const [layer, p] of Object.entries(checkpoint.precision ?? {})) ctx.precision.set(layer, p);
      } else {
        this.report = { ...this.report, initial: await this.summarize(ctx, undefined) };
        await this.writeReport();
      }

      let modelDir = checkpoint?.modelDir;
      for (let index = completed.length; index < config.stages.length; index++) {
        modelDir = await this.runStage(ctx, index, modelDir);
      }
      const finalModel = 'model';
      await saveModel(ctx.model, join(this.outDir, finalModel));
      this.report = { ...this.report, status: 'completed', finalModel };
      await this.writeReport();
      this.kernel.hooks.report.call(this.report);
      return this.report;
    } finally {
      ctx?.dispose();
      if (ctx === undefined) data?.dispose();
    }
  }

  private async runStage(ctx: MutableRunContext, index: number, previousModelDir: string | undefined): Promise<string> {
    const stageConfig = this.config.stages[index]!;
    const plugin = stagePluginName(stageConfig);
    const stage: StageInfo = { index, hook: stageConfig.hook, plugin, label: stageConfig.name ?? `${stageConfig.hook}:${plugin}` };
    const dir = stageFolder(stage);
    const artifacts = new StageArtifactStore(this.outDir, dir);
    ctx.artifacts = artifacts;
    const { call, metrics } = createStageCall(stage, stageConfig.options ?? {}, ctx, this.config.seed, this.logger);
    const startedAt = new Date();
    this.logger.info(`stage ${index + 1}/${this.config.stages.length}: ${stage.label}`);
    const before = ctx.model;
    let latencyMs: number | undefined;
    try {
      await this.kernel.hooks.beforeStage.promise(stage, ctx);
      const result = await invokeStageHook(this.kernel, call);
      if (result.kind === 'model') ctx.model = result.model;
      if (result.kind === 'scores') ctx.scores = result.scores;
      if (result.kind === 'deploy') {
        for (const [k, v] of Object.entries(result.deploy.metrics)) metrics[k] = v;
        artifacts.written.push(...result.deploy.files.filter((f) => !artifacts.written.includes(f)));
        latencyMs = result.deploy.metrics['latencyMs'];
      }
    } catch (error) {
      const wrapped = PluginError.wrap(plugin, stage.hook, error);
      this.pushRecord({ ...stage, status: 'failed', startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), metrics, artifacts: artifacts.written, error: wrapped.message });
      this.report = { ...this.report, status: 'failed' };
      await this.writeReport();
      throw wrapped;
    }
    // Model stages may train in place, so their model always counts as changed.
    const changed = stage.hook !== 'score' && stage.hook !== 'deploy';
    if (ctx.model !== before) before.dispose();
    const checkpoint = await writeCheckpoint(this.outDir, dir, {
      ...(changed || previousModelDir === undefined ? { model: ctx.model } : { previousModelDir }),
      ...(ctx.scores === undefined ? {} : { scores: ctx.scores }),
      precision: ctx.precision,
    });
    const previousSummary = this.report.stages.at(-1)?.model ?? this.report.initial;
    const summary = await this.summarize(ctx, changed ? undefined : previousSummary);
    const record: StageRecord = {
      ...stage,
      status: 'completed',
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      model: latencyMs === undefined ? summary : { ...summary, latencyMs },
      metrics,
      artifacts: artifacts.written,
    };
    this.pushRecord(record);
    await this.writeReport();
    await this.kernel.hooks.afterStage.promise(record, ctx);
    this.logger.info(`  done in ${(record.durationMs / 1000).toFixed(1)} s: ${summary.params} params, ${summary.macs} MACs${formatSummaryMetrics(summary.metrics)}`);
    return checkpoint.modelDir;
  }

  private async summarize(ctx: MutableRunContext, unchanged: ModelSummary | undefined): Promise<ModelSummary> {
    // The model did not change, so neither did anything measured on it.
    if (unchanged !== undefined) return unchanged;
    const data = ctx.data;
    const split = data === undefined ? undefined : this.config.evaluate.split === 'test' ? (data.test ?? data.validation) : data.validation;
    // The task's metric providers, from the registry (the kernel implements none of them).
    return summarizeModel(ctx.model, this.pipeline.registry, data === undefined || split === undefined ? undefined : { task: data.task, split, batchSize: this.config.evaluate.batchSize });
  }

  private pushRecord(record: StageRecord): void {
    this.report = { ...this.report, stages: [...this.report.stages, record] };
  }

  private async writeReport(): Promise<void> {
    await atomicWriteFile(join(this.outDir, REPORT_FILE), `${JSON.stringify(this.report, null, 2)}\n`);
  }

  private async loadData() {
    const data = this.config.data!;
    const provider = this.pipeline.registry.dataProvider(data.provider)!.value;
    const { provider: _name, options, ...common } = data;
    const model = this.config.model;
    const inputShape = 'path' in model ? await modelInputShape(resolve(this.pipeline.configDir, model.path)) : undefined;
    const env = { baseDir: this.pipeline.configDir, rng: SeededRng.from(this.config.seed, 'data'), ...(inputShape === undefined ? {} : { modelInputShape: inputShape }) };
    const splits = await provider.load((options ?? {}) as never, common, env);
    const classes = splits.numClasses === undefined ? '' : `, ${splits.numClasses} classes`;
    this.logger.info(`data: ${splits.name} (${splits.task}): ${splits.train.x.shape[0]} train, ${splits.validation.x.shape[0]} validation, ${splits.test?.x.shape[0] ?? 0} test, input ${splits.inputShape.join('×')}${classes}`);
    return splits;
  }

  private async loadTeacher(data: Parameters<typeof loadModelSource>[1]['data']): Promise<tf.LayersModel> {
    const teacher = this.config.teacher;
    if (teacher === undefined) {
      throw inputError('TEACHER_MISSING', 'this stage needs a teacher, but the pipeline has no "teacher"', 'Add "teacher": {"stage": N} (the model after stage N) or {"path": "teacher/model.json"}.');
    }
    if ('stage' in teacher) {
      const done = this.report.stages.find((s) => s.index === teacher.stage && s.status === 'completed');
      if (done === undefined) throw inputError('TEACHER_STAGE_NOT_RUN', `"teacher": {"stage": ${teacher.stage}} has not completed before this stage`, 'Name an earlier stage.');
      return loadCheckpointModel(this.outDir, await readCheckpoint(this.outDir, stageFolder(done)));
    }
    return loadModelSource(teacher, { configDir: this.pipeline.configDir, registry: this.pipeline.registry, data, seed: this.config.seed });
  }
}

async function readResumableReport(outDir: string, configHash: string): Promise<RunReport> {
  const file = join(outDir, REPORT_FILE);
  if (!existsSync(file)) throw inputError('RESUME_NOTHING', `cannot resume: no ${REPORT_FILE} in ${outDir}`, 'Run without --resume first, or pass the --out folder of an earlier run.');
  const report = JSON.parse(await readFile(file, 'utf8')) as RunReport;
  if (report.configHash !== configHash) {
    throw inputError('RESUME_PIPELINE_CHANGED', `cannot resume the run in ${outDir}: the pipeline (or --seed) changed since it started`, 'Run without --resume to start over, or restore the pipeline.');
  }
  return report;
}

/** A fresh run may reuse a folder that holds an earlier Whittle run (it is cleared), or an empty or new one. */
async function prepareFreshOutDir(outDir: string): Promise<undefined> {
  if (!existsSync(outDir)) return undefined;
  const entries = await readdir(outDir);
  if (entries.length === 0) return undefined;
  if (!entries.includes(REPORT_FILE)) {
    throw inputError('OUT_DIR_NOT_EMPTY', `output folder ${outDir} is not empty and holds no Whittle run`, 'Choose another --out folder.');
  }
  for (const entry of ['stages', 'model', REPORT_FILE]) await rm(join(outDir, entry), { recursive: true, force: true });
  return undefined;
}
