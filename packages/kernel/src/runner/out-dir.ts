import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { LoadedPipeline } from '../config/load-pipeline.js';
import type { ModelSource } from '../config/pipeline-config.js';
import { inputError } from '../errors/whittle-error.js';
import { outputPathError } from '@whittle/model-io';
import { LOCK_FILE } from './out-dir-lock.js';
import type { RunReport } from '../hooks/run-report.js';

export const REPORT_FILE = 'report.json';

/**
 * Where a fresh run puts an earlier run's files: a hidden folder inside the output folder. They are
 * kept there until the new run completes, and removed then; after a failed or interrupted run they
 * are still there (`<out>/.whittle-previous-<time>/`) for the user to restore.
 */
export const PREVIOUS_PREFIX = '.whittle-previous-';

/** Entries of the output folder that are the runner's own bookkeeping, not run contents. */
const isBookkeeping = (entry: string): boolean => entry === LOCK_FILE || entry.startsWith(PREVIOUS_PREFIX);

const FORCE_HINT = 'Pass --force (force: true) to replace it anyway, or choose another --out folder.';

/** Both the path as written and, where it exists, the path with symlinks resolved. */
function spellings(path: string): string[] {
  const abs = resolve(path);
  try {
    return [abs, realpathSync(abs)];
  } catch {
    return [abs];
  }
}

function isInside(path: string, dir: string): boolean {
  return spellings(dir).some((d) => spellings(path).some((p) => {
    const rel = relative(d, p);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  }));
}

/** The input paths a pipeline reads, each with the name it goes by in the config. */
function inputPaths(pipeline: LoadedPipeline, pipelineIsFile: boolean): { name: string; path: string }[] {
  const { config, configDir } = pipeline;
  const inputs: { name: string; path: string }[] = [];
  if (pipelineIsFile) inputs.push({ name: 'the pipeline file', path: pipeline.file });
  const model = (source: ModelSource, name: string): void => {
    if ('path' in source) inputs.push({ name, path: resolve(configDir, source.path) });
  };
  model(config.model, 'model.path');
  if (config.teacher !== undefined && !('stage' in config.teacher)) model(config.teacher, 'teacher.path');
  // Data providers name their files and folders in string options (`dir`, `trainImages`, ...).
  for (const [key, value] of Object.entries(config.data?.options ?? {})) {
    if (typeof value === 'string' && value !== '') inputs.push({ name: `data.options.${key}`, path: resolve(configDir, value) });
  }
  return inputs;
}

/**
 * Refuses a run whose inputs (the pipeline file, `model.path`, `teacher.path`, data files) lie
 * inside its output folder, which a fresh run would move aside and a resumed one overwrite.
 */
export function refuseInputsInsideOutDir(pipeline: LoadedPipeline, outDir: string, pipelineIsFile: boolean): void {
  for (const { name, path } of inputPaths(pipeline, pipelineIsFile)) {
    if (isInside(path, outDir)) {
      throw inputError('INPUT_INSIDE_OUT_DIR', `${name} (${path}) lies inside the output folder ${outDir}`, 'Choose an --out folder that holds none of the run\'s inputs, e.g. a new folder next to it.');
    }
  }
}

/** Whether `value` has the fields every Whittle run report has. */
function looksLikeRunReport(value: unknown): value is RunReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof RunReport, unknown>>;
  return typeof r.whittle === 'string' && typeof r.configHash === 'string' && Array.isArray(r.stages);
}

/** Reads `<outDir>/report.json` as a run report; `undefined` when missing, unparsable or not a run's. */
export async function readRunReport(outDir: string): Promise<{ report?: RunReport; problem?: string }> {
  const file = join(outDir, REPORT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `it has no ${REPORT_FILE}` : `its ${REPORT_FILE} cannot be read` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `its ${REPORT_FILE} is not valid JSON (truncated?)` };
  }
  return looksLikeRunReport(value) ? { report: value } : { problem: `its ${REPORT_FILE} is not a Whittle run report (no "whittle", "configHash" and "stages")` };
}

/** The output folder's entries that belong to a run (not the lock, not earlier runs set aside). */
export async function runEntries(outDir: string): Promise<string[] | undefined> {
  let info;
  try {
    info = await stat(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw outputPathError(error, outDir, 'the output folder') ?? error;
  }
  if (!info.isDirectory()) {
    throw inputError('OUT_DIR_NOT_A_FOLDER', `output folder ${outDir} is a file, not a folder`, 'Choose another --out folder.');
  }
  try {
    return (await readdir(outDir)).filter((e) => !isBookkeeping(e));
  } catch (error) {
    throw outputPathError(error, outDir, 'the output folder') ?? error;
  }
}

/**
 * Read-only: may a fresh run use `outDir`? Yes when it is missing, empty, or holds a Whittle run
 * (its report.json parses and has a run report's fields); otherwise only with `force`.
 */
export async function checkFreshOutDir(outDir: string, force: boolean): Promise<undefined> {
  const entries = await runEntries(outDir);
  if (entries === undefined || entries.length === 0 || force) return undefined;
  const { problem } = await readRunReport(outDir);
  if (problem !== undefined) {
    throw inputError('OUT_DIR_NOT_A_RUN', `output folder ${outDir} is not empty and is not a Whittle run: ${problem}`, FORCE_HINT);
  }
  return undefined;
}

/**
 * Moves the run contents of `outDir` (everything but the lock and earlier set-aside folders) into
 * `<outDir>/.whittle-previous-<time>/`, after checking again (under the lock) that it may. Returns
 * the folder, or `undefined` when there was nothing to move.
 */
export async function setAsidePreviousRun(outDir: string, force: boolean): Promise<string | undefined> {
  await checkFreshOutDir(outDir, force);
  const entries = (await runEntries(outDir)) ?? [];
  if (entries.length === 0) return undefined;
  const aside = join(outDir, `${PREVIOUS_PREFIX}${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  const moved: string[] = [];
  try {
    await mkdir(aside);
    for (const entry of entries) {
      await rename(join(outDir, entry), join(aside, entry));
      moved.push(entry);
    }
  } catch (error) {
    // Put back what was moved, so that a refused run leaves the folder as it was.
    for (const entry of moved) await rename(join(aside, entry), join(outDir, entry)).catch(() => undefined);
    await rmdir(aside).catch(() => undefined);
    throw outputPathError(error, outDir, 'the output folder') ?? error;
  }
  return aside;
}

/** After a completed run: removes every earlier run set aside in `outDir`. */
export async function removePreviousRuns(outDir: string): Promise<void> {
  const entries = existsSync(outDir) ? await readdir(outDir) : [];
  for (const entry of entries.filter((e) => e.startsWith(PREVIOUS_PREFIX))) await rm(join(outDir, entry), { recursive: true, force: true });
}
