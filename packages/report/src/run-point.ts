import { inputError, readRunReport, type ModelSummary, type RunReport } from '@whittle/kernel';
import { basename, resolve } from 'node:path';

/** One run as a point of the cross-run comparison: its final model's figures. */
export interface RunPoint {
  /** The name the page gives the run: its folder's name (with its position when two folders share one). */
  readonly run: string;
  /** The run's folder, absolute. */
  readonly dir: string;
  readonly status: RunReport['status'];
  readonly backend: string;
  /** The model after the last stage that left one (or the initial model when no stage did). */
  readonly final: ModelSummary;
  /**
   * The model of the last stage that measured latency (ms, median, at the batch its profile stage
   * used), and that stage: its latency and metrics belong together (a later stage may change the model).
   */
  readonly measured?: { readonly stage: string; readonly summary: ModelSummary };
}

/**
 * Reads each run folder's report.json into a `RunPoint`. A folder that is not a run, or a run with no
 * model figures yet, is refused (exit 2 from the CLI) naming the folder, before anything is written.
 *
 * ```ts
 * const points = await readRunPoints(['runs/uniform-50', 'runs/sp-lamp-50']);
 * ```
 */
export async function readRunPoints(dirs: readonly string[]): Promise<RunPoint[]> {
  const points: RunPoint[] = [];
  const names = dirs.map((d) => basename(resolve(d)));
  for (const [i, given] of dirs.entries()) {
    const dir = resolve(given);
    const { report, problem } = await readRunReport(dir);
    if (report === undefined) throw inputError('REPORT_NOT_A_RUN', `cannot compare ${dir}: ${problem!}`, 'Pass the --out folders of `whittle run`s.');
    const final = [...report.stages].reverse().find((s) => s.model !== undefined)?.model ?? report.initial;
    if (final === undefined) throw inputError('REPORT_NO_FIGURES', `cannot compare ${dir}: its report.json has no model figures (status ${report.status})`, 'Compare runs that got past loading their model.');
    const measured = [...report.stages].reverse().find((s) => s.model?.latencyMs !== undefined);
    const name = names[i]!;
    const run = names.filter((n) => n === name).length > 1 ? `${name} (${i + 1})` : name;
    points.push({
      run, dir, status: report.status, backend: report.backend, final,
      ...(measured === undefined ? {} : { measured: { stage: `${measured.index}: ${measured.label}`, summary: measured.model! } }),
    });
  }
  return points;
}
