import type { RunReport } from '@whittle/kernel';
import type { LayerComparison } from './charts/layer-charts.js';
import type { StageItem } from './stage-items.js';

/** Everything report.html shows, read from a run's folder. */
export interface ReportData {
  readonly report: RunReport;
  /** The run's folder, as the page names it. */
  readonly outDir: string;
  /** The model before vs after, per layer; absent when the models could not be read. */
  readonly layers?: LayerComparison;
  /** Report items per stage index (training curves, images, tables), only stages that have some. */
  readonly stageItems: ReadonlyMap<number, readonly StageItem[]>;
  /** What could not be read or measured, in words (shown at the end of the page). */
  readonly problems: readonly string[];
}
