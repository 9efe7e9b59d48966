import 'reflect-metadata';
import type * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { BackendChoice, BackendPreference, Engine } from '../engine/index.js';
import { checkPipelineInputs, type CheckedInputs } from '../config/check-pipeline-inputs.js';
import { loadPipeline, type LoadedPipeline, type LoadPipelineOverrides, type PipelineSource } from '../config/load-pipeline.js';
import { stagePluginName, type PipelineConfig } from '../config/pipeline-config.js';
import type { DatasetSplits } from '../data/dataset.js';
import { inputError, WhittleError } from '../errors/whittle-error.js';
import { atomicWriteFile, modelInputShape, saveModel } from '@whittle/model-io';
import type { Kernel } from '../kernel.js';
import { plainLogger, type Logger } from '../logging/logger.js';
import { PluginError } from '../plugin/plugin-error.js';
import { SeededRng } from '../random/seeded-rng.js';
import { KERNEL_VERSION } from '../version.js';
import { StageArtifactStore } from './artifact-store.js';
import { checkpointScores, loadCheckpointModel, readCheckpoint, writeCheckpoint, type CheckpointState } from './checkpoint.js';
import { loadModelSource } from './load-model-source.js';
import { checkSummaryProviders, formatSummaryMetrics, summarizeModel } from './model-summary.js';
import { acquireOutDirLock, refuseLockedOutDir, type OutDirLock } from './out-dir-lock.js';
import { checkFreshOutDir, readRunReport, REPORT_FILE, refuseInputsInsideOutDir, removePreviousRuns, runEntries, setAsidePreviousRun } from './out-dir.js';
import type { MutableRunContext } from './run-context.js';
import type { ModelSummary, RunReport, StageRecord } from '../hooks/run-report.js';
import { callStage, createStageCall, openRun } from './stage-call.js';
import { stageFolder } from './stage-folder.js';
import type { StageInfo } from '../hooks/stage-types.js';

/**
 * `defaultManifests` (from `LoadPipelineOverrides`): manifests every pipeline gets without naming them,
 * e.g. `@whittle/data`'s providers and `@whittle/metrics`' metrics and tasks (the kernel imports
 * neither; the whittle CLI passes them).
 */
export interface RunPipelineOptions extends LoadPipelineOverrides {
  /** Activates the tfjs backend the run uses (`tfjsEngine()` from `@whittle/engine`); the kernel loads none itself. */
  readonly engine: Engine;
  /** Output folder; default `runs/<pipeline name>` under the current folder. */
  readonly outDir?: string;
  /** Overrides the pipeline's `backend`. */
  readonly backend?: BackendPreference;
  /** Continue after the last completed stage of the run in `outDir`. */
  readonly resume?: boolean;
  /**
   * Use a non-empty `outDir` even when it is not recognisably a Whittle run. Its contents are set
   * aside like an earlier run's, and removed when the new run completes.
   */
  readonly force?: boolean;
  /** Overrides the pipeline's `seed`. */
  readonly seed?: number;
  readonly logger?: Logger;
  /**
   * Aborting it interrupts the run: report.json is marked `"interrupted"`, the lock is removed, and
   * the promise rejects with `RUN_INTERRUPTED` at once; the stage in flight is abandoned (nothing it
   * produces is written), so `resume: true` continues after the last completed stage.
   */
  readonly signal?: AbortSignal;
}

export { REPORT_FILE } from './out-dir.js';

/** The code of the error a run rejects with when its `signal` aborts. */
export const RUN_INTERRUPTED = 'RUN_INTERRUPTED';

/** What a run rejects with when its `signal` aborts (code `RUN_INTERRUPTED`, exit 1 unless the caller maps it). */
export class RunInterruptedError extends WhittleError {
  constructor(
    /** The abort reason when it is a string, e.g. `'SIGINT'`. */
    readonly by: string | undefined,
    /** The report marked `"interrupted"`; `undefined` when the run was stopped before it began. */
    readonly report: string | undefined,
  ) {
    super(
      'runtime',
      RUN_INTERRUPTED,
      `run interrupted${by === undefined ? '' : ` by ${by}`}${report === undefined ? ' before it started' : `; ${report} marks it "interrupted"`}`,
      report === undefined ? undefined : 'Continue it with --resume (resume: true).',
    );
  }
}

/**
 * Runs a pipeline file: validates it and loads its plugins, picks the backend through
 * `options.engine`, loads the data and the model, then runs the stages in order. After every stage
 * it writes a checkpoint and rewrites
 * `report.json` atomically; `resume: true` continues after the last completed stage and gives the
 * same final result as an uninterrupted run. Plugin errors are rethrown as `PluginError`s naming the
 * plugin and hook.
 *
 * The output folder is safe to point at an earlier run: nothing in it is touched until every input
 * has been read; an input inside it is refused; a non-empty folder is used only when it holds a
 * Whittle run (or with `force`); a lock file (`.whittle.lock`) makes a second run into the same
 * folder refuse. A fresh run moves the earlier run's files into `<outDir>/.whittle-previous-<time>/`
 * and removes them only once the new run has completed (after a failure they are still there).
 *
 * ```ts
 * const report = await runPipeline('examples/quickstart/pipeline.json', { engine: tfjsEngine(), defaultManifests: [data, metrics], outDir: 'runs/quickstart' });
 * console.log(report.stages.at(-1)?.model?.metrics['accuracy']);
 * ```
 */
export async function runPipeline(source: PipelineSource, options: RunPipelineOptions): Promise<RunReport> {
  const logger = options.logger ?? plainLogger();
  const pipeline = await loadPipeline(source, options);
  const checked = await checkPipelineInputs(pipeline);
  // Every check of the inputs goes above this line: nothing below touches the output folder until
  // every input has been read (`claimOutDir`).
  const { config } = pipeline;
  checkSummaryProviders(config, pipeline.registry);
  const outDir = resolve(options.outDir ?? join('runs', config.name));
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  const force = options.force === true;
  refuseInputsInsideOutDir(pipeline, outDir, typeof source === 'string');
  await refuseLockedOutDir(outDir);
  const previous = options.resume === true ? await readResumableReport(outDir, configHash) : await checkFreshOutDir(outDir, force);

  const backend = await options.engine.selectBackend(options.backend ?? config.backend);
  logger.info(backend.summary);

  const runner = new PipelineRun(pipeline, outDir, configHash, backend, logger, checked);
  const inputs = await runner.loadInputs(previous);
  const { lock, aside } = await claimOutDir(outDir, { fresh: previous === undefined, force, signal: options.signal }).catch((error: unknown) => {
    inputs.dispose();
    throw error;
  });
  try {
    const report = await runner.run(inputs, options.signal);
    await removePreviousRuns(outDir);
    return report;
  } catch (error) {
    if (aside !== undefined) logger.warn(`the earlier contents of ${outDir} are kept in ${aside}`);
    throw error;
  } finally {
    lock.release();
  }
}

/**
 * Takes the output folder, once every input has been read: its lock, then (for a fresh run) the
 * earlier run's files moved aside. A refusal leaves the folder as it was.
 */
async function claimOutDir(outDir: string, how: { fresh: boolean; force: boolean; signal: AbortSignal | undefined }): Promise<{ lock: OutDirLock; aside: string | undefined }> {
  if (how.signal?.aborted === true) throw interruptedError(how.signal, outDir, false);
  const lock = await acquireOutDirLock(outDir);
  try {
    return { lock, aside: how.fresh ? await setAsidePreviousRun(outDir, how.force) : undefined };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function interruptedError(signal: AbortSignal, outDir: string, marked: boolean): RunInterruptedError {
  const by = typeof signal.reason === 'string' ? signal.reason : undefined;
  return new RunInterruptedError(by, marked ? join(outDir, REPORT_FILE) : undefined);
}

/** What a run starts from: its data, and the model (built, loaded, or a checkpoint's when resuming). */
interface RunInputs {
  readonly data: DatasetSplits | undefined;
  readonly model: tf.LayersModel;
  readonly previous: RunReport | undefined;
  readonly completed: readonly StageRecord[];
  readonly checkpoint: CheckpointState | undefined;
  dispose(): void;
}

/** Thrown inside an interrupted run's abandoned work to unwind it without writing anything. */
class Abandoned extends Error {}

class PipelineRun {
  private report: RunReport;
  private interrupted = false;
  private reportWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly pipeline: LoadedPipeline,
    private readonly outDir: string,
    configHash: string,
    private readonly backend: BackendChoice,
    private readonly logger: Logger,
    /** The model's and teacher's model.json as `checkPipelineInputs` read them (when they are files). */
    private readonly checked: CheckedInputs,
  ) {
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

  /** Reads the data and the starting model; touches nothing in the output folder. */
  async loadInputs(previous: RunReport | undefined): Promise<RunInputs> {
    const { config, configDir, registry } = this.pipeline;
    const completed = previous?.stages.filter((s) => s.status === 'completed') ?? [];
    const data = config.data === undefined ? undefined : await this.loadData();
    try {
      const last = completed.at(-1);
      const checkpoint = last === undefined ? undefined : await readCheckpoint(this.outDir, stageFolder(last));
      const model = checkpoint === undefined ? await loadModelSource(config.model, { configDir, registry, data, seed: config.seed, modelJson: this.checked.modelJson }) : await loadCheckpointModel(this.outDir, checkpoint);
      return { data, model, previous, completed, checkpoint, dispose: () => {
        model.dispose();
        data?.dispose();
      } };
    } catch (error) {
      data?.dispose();
      throw error;
    }
  }

  /** Runs the stages; when `signal` aborts, marks the report interrupted and rejects at once. */
  async run(inputs: RunInputs, signal: AbortSignal | undefined): Promise<RunReport> {
    const work = this.execute(inputs);
    if (signal === undefined) return work;
    return new Promise<RunReport>((resolve, reject) => {
      const onAbort = (): void => {
        this.interrupted = true;
        this.report = { ...this.report, status: 'interrupted' };
        this.queueReportWrite().then(() => reject(interruptedError(signal, this.outDir, true)), reject);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // Aborted after the folder was claimed but before the listener was added: the event is gone.
      if (signal.aborted) onAbort();
      // Once interrupted, the abandoned work's outcome no longer decides anything.
      work.then(resolve, (error: unknown) => {
        if (!this.interrupted) reject(error);
      }).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async execute(inputs: RunInputs): Promise<RunReport> {
    const { config, configDir, registry } = this.pipeline;
    const { data, completed, checkpoint, previous } = inputs;
    let ctx: MutableRunContext | undefined;
    try {
      const opened = openRun({
        registry,
        logger: this.logger,
        seed: config.seed,
        outDir: this.outDir,
        configDir,
        backend: this.backend,
        model: inputs.model,
        data,
        artifactsDir: 'stages/initial',
        loadTeacher: () => this.loadTeacher(data),
      });
      const kernel = opened.kernel;
      ctx = opened.ctx;
      const last = completed.at(-1);
      if (last !== undefined) {
        this.report = { ...previous!, status: 'running', stages: completed };
        this.logger.info(`resuming after stage ${last.index} (${last.label})`);
      }
      if (checkpoint !== undefined) {
        ctx.scores = checkpointScores(checkpoint);
        for (const [layer, p] of Object.entries(checkpoint.precision ?? {})) ctx.precision.set(layer, p);
      } else {
        const initialModel = 'stages/initial/model';
        await saveModel(ctx.model, join(this.outDir, initialModel));
        this.report = { ...this.report, initial: await this.summarize(ctx, undefined), initialModel };
        await this.writeReport();
      }

      let modelDir = checkpoint?.modelDir;
      for (let index = completed.length; index < config.stages.length; index++) {
        modelDir = await this.runStage(kernel, ctx, index, modelDir);
      }
      this.stopIfInterrupted();
      const finalModel = 'model';
      await saveModel(ctx.model, join(this.outDir, finalModel));
      this.report = { ...this.report, status: 'completed', finalModel };
      await this.writeReport();
      kernel.hooks.report.call(this.report);
      return this.report;
    } finally {
      if (ctx === undefined) inputs.dispose();
      else ctx.dispose();
    }
  }

  /** In an interrupted run, whatever the abandoned stage returns is dropped here, unwritten. */
  private stopIfInterrupted(): void {
    if (this.interrupted) throw new Abandoned('run interrupted');
  }

  private async runStage(kernel: Kernel, ctx: MutableRunContext, index: number, previousModelDir: string | undefined): Promise<string> {
    const stageConfig = this.config.stages[index]!;
    const plugin = stagePluginName(stageConfig);
    const stage: StageInfo = { index, hook: stageConfig.hook, plugin, label: stageConfig.name ?? `${stageConfig.hook}:${plugin}` };
    const dir = stageFolder(stage);
    const artifacts = new StageArtifactStore(this.outDir, dir);
    ctx.artifacts = artifacts;
    const stageCall = createStageCall(stage, stageConfig.options ?? {}, ctx, this.config.seed, this.logger);
    const { metrics } = stageCall;
    const startedAt = new Date();
    this.logger.info(`stage ${index + 1}/${this.config.stages.length}: ${stage.label}`);
    const before = ctx.model;
    let changed: boolean;
    let latencyMs: number | undefined;
    try {
      await kernel.hooks.beforeStage.promise(stage, ctx);
      const outcome = await callStage(kernel, ctx, stageCall);
      // Committing only changes the context in memory; an interrupted run stops below, before any write.
      const commit = outcome.commit();
      Object.assign(metrics, commit.metrics);
      artifacts.written.push(...(commit.files ?? []).filter((f) => !artifacts.written.includes(f)));
      latencyMs = commit.latencyMs;
      changed = outcome.changesModel;
    } catch (error) {
      if (error instanceof Abandoned || this.interrupted) throw error;
      const wrapped = PluginError.wrap(plugin, stage.hook, error);
      this.pushRecord({ ...stage, status: 'failed', startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), metrics, artifacts: artifacts.written, error: wrapped.message });
      this.report = { ...this.report, status: 'failed' };
      await this.writeReport();
      throw wrapped;
    }
    if (ctx.model !== before) before.dispose();
    this.stopIfInterrupted();
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
    await kernel.hooks.afterStage.promise(record, ctx);
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
    this.stopIfInterrupted();
    await this.queueReportWrite();
  }

  /** Writes the report as it is now, after any write still in flight (so the last state lands last). */
  private queueReportWrite(): Promise<void> {
    const text = `${JSON.stringify(this.report, null, 2)}\n`;
    const write = this.reportWrites.catch(() => undefined).then(() => atomicWriteFile(join(this.outDir, REPORT_FILE), text));
    this.reportWrites = write;
    return write;
  }

  private async loadData() {
    const data = this.config.data!;
    const provider = this.pipeline.registry.dataProviders.get(data.provider);
    const { provider: _name, options, ...common } = data;
    const inputShape = this.checked.modelJson === undefined ? undefined : modelInputShape(this.checked.modelJson);
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
    return loadModelSource(teacher, { configDir: this.pipeline.configDir, registry: this.pipeline.registry, data, seed: this.config.seed, modelJson: this.checked.teacherJson });
  }
}

async function readResumableReport(outDir: string, configHash: string): Promise<RunReport> {
  if ((await runEntries(outDir)) === undefined) {
    throw inputError('RESUME_NOTHING', `cannot resume: ${outDir} does not exist`, 'Run without --resume first, or pass the --out folder of an earlier run.');
  }
  const { report, problem } = await readRunReport(outDir);
  if (report === undefined) {
    throw inputError('RESUME_NOTHING', `cannot resume the run in ${outDir}: ${problem!}`, 'Run without --resume to start over (the folder is set aside, not deleted), or pass the --out folder of an earlier run.');
  }
  if (report.configHash !== configHash) {
    throw inputError('RESUME_PIPELINE_CHANGED', `cannot resume the run in ${outDir}: the pipeline (or --seed) changed since it started`, 'Run without --resume to start over, or restore the pipeline.');
  }
  return report;
}
