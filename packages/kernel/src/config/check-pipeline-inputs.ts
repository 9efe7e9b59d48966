import type * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import type { DataProvider } from '../data/dataset.js';
import { isWhittleError } from '../errors/whittle-error.js';
import { pathProblem, readModelJson } from '@whittle/model-io';
import { leavesFolder } from '../runner/leaves-folder.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import type { LoadedPipeline } from './load-pipeline.js';
import { stagePluginName, type ModelSource, type TeacherSource } from './pipeline-config.js';

/** The artifact store's rule (`leavesFolder`), and a Windows drive letter, which that rule does not see on POSIX. */
function leavesStageFolder(path: string): boolean {
  return /^[a-zA-Z]:/.test(path) || leavesFolder('stage', path);
}

/** What the checks read on the way (the runner reuses it): the model's and the teacher's model.json when they are a `path`. */
export interface CheckedInputs {
  readonly modelJson?: tf.io.ModelJSON;
  readonly teacherJson?: tf.io.ModelJSON;
}

/** A model path that is not a file, or whose model.json is broken (read without its weights); else the parsed file. */
async function checkModelPath(source: ModelSource | TeacherSource | undefined, at: string, configDir: string): Promise<{ issues: ConfigIssue[]; modelJson?: tf.io.ModelJSON }> {
  if (source === undefined || !('path' in source)) return { issues: [] };
  const path = resolve(configDir, source.path);
  const problem = pathProblem(path, 'file');
  if (problem !== undefined) return { issues: [{ path: `${at}/path`, message: `${problem}; give the path of a tfjs model.json, relative to the pipeline file` }] };
  try {
    return { issues: [], modelJson: await readModelJson(path) };
  } catch (error) {
    if (!isWhittleError(error) || error.kind !== 'input') throw error;
    return { issues: [{ path: `${at}/path`, message: error.message }] };
  }
}

/**
 * What a loaded, schema-valid pipeline would fail on only once it runs, found without running
 * anything: a model or teacher `path` that is not a file, or not a LayersModel that tfjs can build
 * (`readModelJson`: the model.json alone, not its weights); data files and folders the data provider
 * cannot find (its `checkOptions`); a stage that needs a teacher (a distill stage, or a plugin whose
 * `meta.requires` says so) with no `teacher`, or with `{"stage": N}` that does not run before it; a
 * stage that needs scores with no score stage before it, or data with no `data`; an artifact path
 * option that leaves the stage's folder. Each issue has the JSON path to fix.
 */
async function inputIssues(loaded: LoadedPipeline): Promise<{ issues: ConfigIssue[] } & CheckedInputs> {
  const { config, configDir, registry } = loaded;
  const model = await checkModelPath(config.model, '/model', configDir);
  const teacher = await checkModelPath(config.teacher, '/teacher', configDir);
  const issues: ConfigIssue[] = [...model.issues, ...teacher.issues];

  if (config.data !== undefined) {
    // Options were validated against this provider's schema, so they are its options.
    const provider = registry.dataProviders.entry(config.data.provider)?.value as DataProvider | undefined;
    const found = provider?.checkOptions?.(config.data.options ?? {}, { baseDir: configDir }) ?? [];
    issues.push(...found.map((issue) => ({ path: `/data/options${issue.path}`, message: issue.message })));
  }

  let scored = false;
  config.stages.forEach((stage, i) => {
    const at = `/stages/${i}`;
    const name = stagePluginName(stage);
    const label = `${stage.hook}:${name}`;
    const meta = registry.plugin(stage.hook, name)?.value.meta;
    const requires = meta?.requires;
    // A distill plugin that does not say what it needs still needs a teacher: that is what distilling is.
    const needsTeacher = requires?.includes('teacher') ?? stage.hook === 'distill';
    if (needsTeacher) {
      const teacher = config.teacher;
      if (teacher === undefined) {
        issues.push({ path: at, message: `"${label}" needs a teacher, but the pipeline has no "teacher"; add "teacher": {"stage": N} (the model after an earlier stage N) or {"path": "teacher/model.json"}` });
      } else if ('stage' in teacher && teacher.stage >= i) {
        issues.push({ path: '/teacher/stage', message: `stage ${teacher.stage} does not run before stage ${i} ("${label}"), which distils from it; name an earlier stage` });
      }
    }
    if (requires?.includes('scores') === true && !scored) {
      issues.push({ path: at, message: `"${label}" prunes by score, but no score stage runs before it; add one first, e.g. {"hook": "score", "plugin": "l1-norm"}` });
    }
    if (requires?.includes('data') === true && config.data === undefined) {
      issues.push({ path: at, message: `"${label}" needs data, but the pipeline has no "data"; add one, e.g. "data": {"provider": "fashion-mnist-sample"}` });
    }
    for (const keys of meta?.artifactPathOptions ?? []) {
      const value = keys.reduce<unknown>((o, key) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined), stage.options);
      if (typeof value === 'string' && leavesStageFolder(value)) {
        issues.push({ path: `${at}/options/${keys.join('/')}`, message: `"${value}" leaves the stage's folder in the run; artifacts are written inside it: give a relative path without ".." (e.g. "latency-table.json")` });
      }
    }
    if (stage.hook === 'score') scored = true;
  });
  return { issues, ...(model.modelJson === undefined ? {} : { modelJson: model.modelJson }), ...(teacher.modelJson === undefined ? {} : { teacherJson: teacher.modelJson }) };
}

/**
 * Throws a `ConfigError` (exit code 2) listing every issue `inputIssues` finds. `whittle
 * validate` and `runPipeline` call it right after `loadPipeline`, before any output is touched.
 * Returns what it read: the model's and the teacher's parsed model.json, so that the run does not read them again.
 *
 * ```ts
 * const loaded = await loadPipeline('pipeline.json');
 * const { modelJson } = await checkPipelineInputs(loaded);
 * ```
 */
export async function checkPipelineInputs(loaded: LoadedPipeline): Promise<CheckedInputs> {
  const { issues, ...checked } = await inputIssues(loaded);
  if (issues.length > 0) throw new ConfigError(loaded.file, issues);
  return checked;
}
