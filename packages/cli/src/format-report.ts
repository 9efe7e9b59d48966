import type { ModelSummary, RunReport } from '@whittle/kernel';

/** A metric's cell: accuracy as a percentage, PSNR in dB, anything else to 4 significant digits. */
function formatMetric(name: string, value: number): string {
  if (name === 'accuracy') return `${(value * 100).toFixed(2)}%`;
  if (name === 'psnr') return `${value.toFixed(2)} dB`;
  return value.toPrecision(4);
}

/** The report as a table: one row for the initial model and one per stage, with a column per metric the summaries hold. */
export function formatReportTable(report: RunReport): string {
  const summaries = [report.initial, ...report.stages.map((s) => s.model)];
  // The metrics present, in the order they first appear (the task's order).
  const metricNames = [...new Set(summaries.flatMap((m) => Object.keys(m?.metrics ?? {})))];
  const rows: string[][] = [['stage', 'params', 'MACs', ...metricNames, 'latency ms', 'time s']];
  const row = (label: string, m: ModelSummary | undefined, seconds?: number): string[] => [
    label,
    m === undefined ? '' : m.params.toLocaleString('en-US'),
    m === undefined ? '' : m.macs.toLocaleString('en-US'),
    ...metricNames.map((name) => {
      const value = m?.metrics?.[name];
      return value === undefined ? '' : formatMetric(name, value);
    }),
    m?.latencyMs === undefined ? '' : m.latencyMs.toFixed(2),
    seconds === undefined ? '' : seconds.toFixed(1),
  ];
  rows.push(row('initial', report.initial));
  for (const stage of report.stages) rows.push(row(`${stage.index}: ${stage.label}${stage.status === 'failed' ? ' (failed)' : ''}`, stage.model, stage.durationMs / 1000));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return `${lines.join('\n')}\n\nbackend ${report.backend}, seed ${report.seed}, status ${report.status}${report.finalModel === undefined ? '' : `, final model in ${report.finalModel}/`}\n`;
}
